// The AWS SDK for JavaScript v3 (@aws-sdk/client-device-farm, pinned in
// package.json) against `testgrid serve` as a separate process.
import assert from "node:assert/strict";
import { after, afterEach, before, describe, test } from "node:test";

import {
  ArgumentException,
  DeviceFarmClient,
  ListTestGridSessionsCommand,
  NotFoundException,
  paginateListTestGridSessions,
} from "@aws-sdk/client-device-farm";

import { startServe } from "../index.js";

const PROJECT = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11";
const UNKNOWN = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:00000000-0000-4000-8000-000000000000";

describe("ListTestGridSessions", () => {
  let server, client;
  before(async () => {
    server = await startServe(["--project", PROJECT, "--sessions", "137", "--seed", "7", "--page-size", "20"]);
    client = new DeviceFarmClient(server.clientConfig());
  });
  afterEach(() => server.control.reset());
  after(async () => {
    client.destroy();
    await server.stop();
  });

  test("paginateListTestGridSessions walks every page", async () => {
    const pages = [];
    for await (const page of paginateListTestGridSessions({ client, pageSize: 30 }, { projectArn: PROJECT, status: "CLOSED" })) {
      pages.push(page.testGridSessions);
    }
    const sessions = pages.flat();
    const want = (await server.control.sessions(PROJECT)).filter((s) => s.status === "CLOSED");
    assert.deepEqual(sessions.map((s) => s.arn), want.map((s) => s.arn));
    assert.equal(pages.length, Math.ceil(want.length / 30));
    assert.ok(sessions.every((s) => s.created instanceof Date));
    assert.deepEqual(
      sessions.map((s) => s.created.getTime() / 1000),
      want.map((s) => s.created),
    );
    const requests = await server.control.requests();
    assert.equal(requests.length, pages.length);
    assert.ok(requests.every((r) => r.target === "DeviceFarm_20150623.ListTestGridSessions" && r.status === 200));
  });

  test("an unknown project is a NotFoundException", async () => {
    await assert.rejects(client.send(new ListTestGridSessionsCommand({ projectArn: UNKNOWN })), NotFoundException);
  });

  test("maxResult out of range is an ArgumentException", async () => {
    await assert.rejects(client.send(new ListTestGridSessionsCommand({ projectArn: PROJECT, maxResult: 5000 })), (err) => {
      assert.ok(err instanceof ArgumentException);
      assert.match(err.message, /maxResult/);
      return true;
    });
  });

  test("a throttle is retried", async () => {
    await server.control.faults({ preset: "Throttling" });
    const out = await client.send(new ListTestGridSessionsCommand({ projectArn: PROJECT }));
    assert.equal(out.testGridSessions.length, 20);
    assert.equal(out.$metadata.attempts, 2);
    assert.deepEqual(
      (await server.control.requests()).map((r) => r.errorCode ?? ""),
      ["ThrottlingException", ""],
    );
  });
});
