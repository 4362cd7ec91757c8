// What SERVE.md shows: a Node test of code that uses the AWS SDK v3.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import {
  CreateTestGridProjectCommand,
  CreateTestGridUrlCommand,
  DeviceFarmClient,
  InternalServiceException,
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

test("creates a project and gets a grid URL", async () => {
  const { testGridProject } = await client.send(new CreateTestGridProjectCommand({ name: "checkout" }));
  const { url, expires } = await client.send(new CreateTestGridUrlCommand({ projectArn: testGridProject.arn, expiresInSeconds: 300 }));
  assert.ok(url.startsWith(server.endpoint));
  assert.ok(expires > new Date());
});

test("pages every session", async () => {
  let sessions = 0;
  for await (const page of paginateListTestGridSessions({ client }, { projectArn: PROJECT })) {
    sessions += page.testGridSessions.length;
  }
  assert.equal(sessions, 137);
});

test("the third page fails", async (t) => {
  t.after(() => server.control.clearFaults(PROJECT));
  // Aimed at one operation of one project: other tests sharing the fake never take it.
  await server.control.faults({ preset: "InternalService", projectArn: PROJECT, operation: "ListTestGridSessions", nth: 3, count: 3 });
  const pages = paginateListTestGridSessions({ client }, { projectArn: PROJECT });
  await assert.rejects(async () => {
    for await (const page of pages) assert.equal(page.testGridSessions.length, 20);
  }, InternalServiceException);
});
