// What SERVE.md shows: a Node test of code that uses the AWS SDK v3.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import {
  DeviceFarmClient,
  ListTestGridSessionsCommand,
  NotFoundException,
  paginateListTestGridSessions,
} from "@aws-sdk/client-device-farm";
import { startServe } from "testgrid-serve";

const PROJECT = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11";
let server, client;

before(async () => {
  server = await startServe(["--project", PROJECT, "--sessions", "137", "--page-size", "20"]); // $TESTGRID, else testgrid on PATH
  client = new DeviceFarmClient(server.clientConfig());
});
after(async () => {
  client.destroy();
  await server.stop(); // SIGTERM; rejects unless it exits with status 0
});

test("pages every session", async () => {
  let sessions = 0;
  for await (const page of paginateListTestGridSessions({ client }, { projectArn: PROJECT })) {
    sessions += page.testGridSessions.length;
  }
  assert.equal(sessions, 137);
});

test("a queued NotFoundException", async (t) => {
  t.after(() => server.control.reset());
  await server.control.faults({ kind: "FaultError", status: 400, code: "NotFoundException", message: "no such project" });
  await assert.rejects(client.send(new ListTestGridSessionsCommand({ projectArn: PROJECT })), NotFoundException);
});
