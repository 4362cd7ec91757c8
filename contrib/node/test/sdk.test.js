// The AWS SDK for JavaScript v3 (@aws-sdk/client-device-farm, pinned in
// package.json) against `testgrid serve` as a separate process: every test
// grid operation, a modelled error each, and its paginators.
import assert from "node:assert/strict";
import http from "node:http";
import { after, afterEach, before, describe, test } from "node:test";

import {
  ArgumentException,
  CannotDeleteException,
  CreateTestGridProjectCommand,
  CreateTestGridUrlCommand,
  DeleteTestGridProjectCommand,
  DeviceFarmClient,
  GetTestGridProjectCommand,
  GetTestGridSessionCommand,
  InternalServiceException,
  ListTestGridSessionsCommand,
  NotFoundException,
  UpdateTestGridProjectCommand,
  paginateListTestGridProjects,
  paginateListTestGridSessionActions,
  paginateListTestGridSessionArtifacts,
  paginateListTestGridSessions,
} from "@aws-sdk/client-device-farm";

import { startServe } from "../index.js";

const PROJECT = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11";
const UNKNOWN = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:00000000-0000-4000-8000-000000000000";

async function all(paginator) {
  const pages = [];
  for await (const page of paginator) pages.push(page);
  return pages;
}

function get(url) {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
        res.on("error", reject);
      })
      .on("error", reject);
  });
}

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

describe("projects", () => {
  test("create, get, update, page, delete", async () => {
    const { testGridProject: made } = await client.send(new CreateTestGridProjectCommand({ name: "checkout", description: "nightly" }));
    assert.match(made.arn, /^arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:/);
    assert.ok(made.created instanceof Date);
    assert.deepEqual((await client.send(new GetTestGridProjectCommand({ projectArn: made.arn }))).testGridProject, made);
    const { testGridProject: updated } = await client.send(new UpdateTestGridProjectCommand({ projectArn: made.arn, name: "renamed" }));
    assert.deepEqual(updated, { ...made, name: "renamed" });

    for (let i = 0; i < 3; i++) await client.send(new CreateTestGridProjectCommand({ name: `p${i}` }));
    const pages = await all(paginateListTestGridProjects({ client, pageSize: 2 }, {}));
    assert.deepEqual(pages.map((p) => p.testGridProjects.length), [2, 2, 1]);
    assert.ok(pages.flatMap((p) => p.testGridProjects).some((p) => p.arn === PROJECT));

    await client.send(new DeleteTestGridProjectCommand({ projectArn: made.arn }));
    await assert.rejects(client.send(new GetTestGridProjectCommand({ projectArn: made.arn })), NotFoundException);
  });

  test("modelled errors", async () => {
    await assert.rejects(client.send(new CreateTestGridProjectCommand({ name: "   " })), ArgumentException);
    await assert.rejects(client.send(new UpdateTestGridProjectCommand({ projectArn: UNKNOWN, name: "x" })), NotFoundException);
    const project = (await server.control.addProject({ name: "busy" })).arn;
    await server.control.load([
      { arn: project.replace("testgrid-project:", "testgrid-session:") + "/s1", status: "ACTIVE", created: 1741435200 },
    ]);
    await assert.rejects(client.send(new DeleteTestGridProjectCommand({ projectArn: project })), CannotDeleteException);
  });
});

describe("CreateTestGridUrl", () => {
  test("a URL on the fake and its expiry", async () => {
    const before = Date.now();
    const out = await client.send(new CreateTestGridUrlCommand({ projectArn: PROJECT, expiresInSeconds: 300 }));
    assert.ok(out.url.startsWith(server.endpoint + "/"));
    assert.ok(out.expires.getTime() >= before + 299_000 && out.expires.getTime() <= Date.now() + 301_000);
    // A WebDriver remote end: its status says whether it is ready.
    const res = await get(out.url + "/status");
    assert.equal(res.status, 200);
    assert.equal(typeof JSON.parse(res.body).value.ready, "boolean");
    const forged = await get(server.endpoint + "/_grid/forged/status");
    assert.equal(forged.status, 404);
    assert.equal(JSON.parse(forged.body).value.error, "unknown command");
  });

  test("unknown project, expiry out of range", async () => {
    await assert.rejects(client.send(new CreateTestGridUrlCommand({ projectArn: UNKNOWN, expiresInSeconds: 300 })), NotFoundException);
    await assert.rejects(client.send(new CreateTestGridUrlCommand({ projectArn: PROJECT, expiresInSeconds: 30 })), ArgumentException);
  });
});

describe("sessions", () => {
  test("paginateListTestGridSessions walks every page", async () => {
    const pages = await all(paginateListTestGridSessions({ client, pageSize: 30 }, { projectArn: PROJECT, status: "CLOSED" }));
    const sessions = pages.flatMap((p) => p.testGridSessions);
    const want = (await server.control.sessions(PROJECT)).filter((s) => s.status === "CLOSED");
    assert.deepEqual(sessions.map((s) => s.arn), want.map((s) => s.arn));
    assert.equal(pages.length, Math.ceil(want.length / 30));
    assert.deepEqual(
      sessions.map((s) => s.created.getTime() / 1000),
      want.map((s) => s.created),
    );
    const requests = await server.control.requests();
    assert.equal(requests.length, pages.length);
    assert.ok(requests.every((r) => r.target === "DeviceFarm_20150623.ListTestGridSessions" && r.status === 200));
  });

  test("GetTestGridSession by ARN and by ID", async () => {
    const held = (await server.control.sessions(PROJECT))[5];
    const byArn = (await client.send(new GetTestGridSessionCommand({ sessionArn: held.arn }))).testGridSession;
    assert.equal(byArn.arn, held.arn);
    assert.equal(byArn.seleniumProperties, held.seleniumProperties);
    const byId = await client.send(new GetTestGridSessionCommand({ projectArn: PROJECT, sessionId: held.arn.split("/").pop() }));
    assert.deepEqual(byId.testGridSession, byArn);
    await assert.rejects(client.send(new GetTestGridSessionCommand({ sessionArn: held.arn + "x" })), NotFoundException);
  });

  test("ListTestGridSessions errors: unknown project, maxResult out of range", async () => {
    await assert.rejects(client.send(new ListTestGridSessionsCommand({ projectArn: UNKNOWN })), NotFoundException);
    await assert.rejects(client.send(new ListTestGridSessionsCommand({ projectArn: PROJECT, maxResult: 5000 })), /maxResult/);
  });

  test("actions and artifacts: paginators, type filter, download", async () => {
    const arn = (await server.control.sessions(PROJECT))[0].arn;
    const actions = Array.from({ length: 7 }, (_, i) => ({
      action: `GET /session/1/title/${i}`,
      started: 1741435201 + i,
      duration: i,
      statusCode: "200",
      requestMethod: "GET",
    }));
    await server.control.addSessionData(arn, {
      actions,
      artifacts: [
        { filename: "selenium.log", type: "SELENIUM_LOG", contentType: "text/plain", text: "log\n" },
        { filename: "video.mp4", type: "VIDEO", contentType: "video/mp4", base64: "AAECAw==" },
      ],
    });
    const actionPages = await all(paginateListTestGridSessionActions({ client, pageSize: 3 }, { sessionArn: arn }));
    assert.deepEqual(actionPages.map((p) => p.actions.map((a) => a.duration)), [[0, 1, 2], [3, 4, 5], [6]]);
    assert.ok(actionPages[0].actions[0].started instanceof Date);

    const artifactPages = await all(paginateListTestGridSessionArtifacts({ client, pageSize: 1 }, { sessionArn: arn }));
    assert.deepEqual(artifactPages.map((p) => p.artifacts.map((a) => a.filename)), [["selenium.log"], ["video.mp4"]]);
    const [video] = (await all(paginateListTestGridSessionArtifacts({ client }, { sessionArn: arn, type: "VIDEO" })))[0].artifacts;
    const res = await get(video.url);
    assert.equal(res.status, 200);
    assert.deepEqual([...res.body], [0, 1, 2, 3]);
  });
});

describe("faults", () => {
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

  test("aimed at the third page of one project", async () => {
    const mine = (await server.control.addProject({ name: "mine" })).arn;
    await server.control.seed(mine, 50);
    await server.control.faults({ preset: "internalservice", projectArn: mine, operation: "ListTestGridSessions", nth: 3, count: 3 });
    await assert.rejects(all(paginateListTestGridSessions({ client, pageSize: 10 }, { projectArn: mine })), InternalServiceException);
    // Another project's listing never sees it.
    await client.send(new ListTestGridSessionsCommand({ projectArn: PROJECT }));
    assert.deepEqual(
      (await server.control.requests()).map((r) => r.errorCode ?? ""),
      ["", "", "InternalServiceException", "InternalServiceException", "InternalServiceException", ""],
    );
  });
});
