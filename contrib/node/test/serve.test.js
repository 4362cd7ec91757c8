// The package's own tests, against a real `testgrid serve` ($TESTGRID).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { Control, Server, TestgridError, findBinary, startServe } from "../index.js";

const PROJECT = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11";
const OTHER = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:0d6d1c3e-54c8-4d36-9d5e-6a1c2b3d4e5f";

function session(project, id, created = 1741435200) {
  return {
    arn: project.replace("testgrid-project:", "testgrid-session:") + "/" + id,
    status: "CLOSED",
    created,
    ended: created + 61,
    billingMinutes: 1.02,
  };
}

describe("startServe", () => {
  test("reads the ready line and stops with status 0", async () => {
    const server = await startServe(["--project", PROJECT, "--sessions", "5", "--session-token", "TOKEN"]);
    try {
      assert.ok(server instanceof Server);
      assert.match(server.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(server.ready.control, server.endpoint + "/_testgrid");
      assert.equal(server.region, "us-west-2");
      assert.deepEqual(server.projects, [PROJECT]);
      assert.deepEqual(server.credentials, {
        accessKeyId: server.ready.accessKeyId,
        secretAccessKey: server.ready.secretAccessKey,
        sessionToken: "TOKEN",
      });
      assert.deepEqual(server.clientConfig(), { endpoint: server.endpoint, region: "us-west-2", credentials: server.credentials });
      assert.equal((await server.control.health()).status, "ok");
    } finally {
      await server.stop();
    }
    assert.match(server.stderr(), /testgrid serve: stopped/);
    await server.stop(); // stopping twice is harmless
  });

  test("bad flags reject with the exit status and stderr", async () => {
    await assert.rejects(startServe(["--sessions", "-1"]), (err) => {
      assert.ok(err instanceof TestgridError);
      assert.match(err.message, /^testgrid serve exited with status 2: .*--sessions/s);
      return true;
    });
  });

  test("a missing binary rejects naming it", async () => {
    await assert.rejects(startServe([], { binary: "/nonexistent/testgrid" }), /cannot run \/nonexistent\/testgrid: .*ENOENT/);
  });

  test("findBinary: explicit, then $TESTGRID, then testgrid", () => {
    assert.equal(findBinary("/x/testgrid"), "/x/testgrid");
    const saved = process.env.TESTGRID;
    try {
      process.env.TESTGRID = "/y/testgrid";
      assert.equal(findBinary(), "/y/testgrid");
      delete process.env.TESTGRID;
      assert.equal(findBinary(), "testgrid");
    } finally {
      if (saved === undefined) delete process.env.TESTGRID;
      else process.env.TESTGRID = saved;
    }
  });

  test("a fake that does not exit with status 0 makes stop reject", async () => {
    const server = await startServe();
    process.kill(server.pid, "SIGKILL");
    await assert.rejects(server.stop(), /testgrid serve exited with signal SIGKILL/);
  });
});

describe("Control", () => {
  let server;
  before(async () => {
    server = await startServe(["--project", PROJECT, "--sessions", "137", "--seed", "7", "--page-size", "20"]);
  });
  after(() => server.stop());

  test("seed, load, sessions, reset", async () => {
    const c = server.control;
    assert.equal((await c.seed(OTHER, 12, 3)).added, 12);
    assert.equal((await c.load([session(OTHER, "extra")])).added, 1);
    const held = await c.sessions(OTHER);
    assert.equal(held.length, 13);
    assert.ok(held.some((s) => s.arn === session(OTHER, "extra").arn));
    assert.deepEqual((await c.load([], "arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:empty")).added, 0);
    await c.reset();
    assert.deepEqual((await c.health()).projects, [{ arn: PROJECT, sessions: 137 }]);
  });

  test("faults, pending, partial reset, latency", async () => {
    const c = server.control;
    const armed = await c.faults({ preset: "Throttling", count: 2 });
    assert.equal(armed.queued, 2);
    assert.equal(armed.pending, 2);
    assert.equal(armed.faults[0].code, "ThrottlingException");
    assert.equal((await c.pendingFaults()).pending, 2);
    assert.deepEqual((await c.reset({ faults: true })).reset, ["faults"]);
    assert.equal((await c.pendingFaults()).pending, 0);
    assert.deepEqual(await c.latency("5ms"), { latency: "5ms" });
    assert.deepEqual(await c.latency("0s"), { latency: "0s" });
    assert.deepEqual(await c.requests(), []);
  });

  test("faults aimed at a project: listed and cleared per project", async () => {
    const c = server.control;
    await c.faults(
      { preset: "notfound", projectArn: OTHER, operation: "GetTestGridProject" },
      { preset: "throttling", projectArn: PROJECT, operation: "ListTestGridSessions", nth: 3 },
    );
    const [aimed] = (await c.pendingFaults(PROJECT)).faults;
    assert.deepEqual([aimed.projectArn, aimed.operation, aimed.nth, aimed.fired], [PROJECT, "ListTestGridSessions", 3, 0]);
    assert.equal((await c.clearFaults(OTHER)).pending, 1);
    assert.deepEqual((await c.pendingFaults(OTHER)).faults, []);
    await c.clearFaults();
    assert.equal((await c.pendingFaults()).pending, 0);
  });

  test("projects and session data", async () => {
    const c = server.control;
    try {
      const made = await c.addProject({ name: "web", description: "the web suite" });
      assert.match(made.arn, /^arn:aws:devicefarm:us-west-2:\d{12}:testgrid-project:/);
      assert.ok((await c.projects()).some((p) => p.arn === made.arn && p.name === "web"));
      assert.equal((await c.addProject({ arn: made.arn, description: "changed" })).description, "changed");

      const arn = (await c.sessions(PROJECT))[0].arn;
      const added = await c.addSessionData(arn, {
        actions: [{ action: "POST /session/1/url", started: 1741435201, duration: 350, statusCode: "200", requestMethod: "POST" }],
        artifacts: [{ filename: "selenium.log", type: "SELENIUM_LOG", contentType: "text/plain", text: "hello\n" }],
      });
      assert.deepEqual(added, { actions: 1, artifacts: 1 });
      const data = await c.sessionData(arn);
      assert.equal(data.actions[0].duration, 350);
      assert.deepEqual(data.artifacts, [{ filename: "selenium.log", type: "SELENIUM_LOG", contentType: "text/plain", size: 6 }]);
    } finally {
      await c.reset();
    }
  });

  test("a refusal rejects with the fake's message and status", async () => {
    await assert.rejects(server.control.faults({ preset: "Throttling", nosuchmember: 1 }), (err) => {
      assert.ok(err instanceof TestgridError);
      assert.equal(err.status, 400);
      assert.match(err.message, /^POST \/faults: HTTP 400: .*nosuchmember/);
      return true;
    });
    await assert.rejects(new Control(server.ready.control).call("GET", "/nowhere"), /GET \/nowhere: HTTP 404: /);
  });
});
