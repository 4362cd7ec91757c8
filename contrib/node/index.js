// testgrid-serve: start `testgrid serve`, a fake AWS Device Farm test grid,
// from Node tests, read the line it prints once it listens, and drive its
// control API. Nothing but Node's own modules.

import { spawn } from "node:child_process";
import http from "node:http";

/** Milliseconds to wait for the ready line, and for the exit after SIGTERM. */
export const READY_TIMEOUT = 30_000;
export const STOP_TIMEOUT = 10_000;

const MAX_READY_LINE = 1 << 20; // bytes
const MAX_ANSWER = 256 << 20; // bytes of a control answer
const STDERR_KEPT = 4096; // bytes of stderr quoted in errors

// query builds "?k=v" from the members that are defined, "" if none is.
function query(params) {
  const defined = Object.entries(params).filter(([, v]) => v !== undefined);
  return defined.length ? "?" + new URLSearchParams(defined) : "";
}

/**
 * `testgrid serve` could not start or stop as expected, or its control API
 * refused a request. The message names what went wrong; `status` is the
 * control API's HTTP status, when there is one.
 */
export class TestgridError extends Error {
  constructor(message, status) {
    super(message);
    this.name = "TestgridError";
    if (status !== undefined) this.status = status;
  }
}

/** The testgrid binary: `explicit` if given, else $TESTGRID, else `testgrid` (on PATH). */
export function findBinary(explicit) {
  return explicit || process.env.TESTGRID || "testgrid";
}

/**
 * The control API of one `testgrid serve` (its ready line's `control`
 * URL). Each method resolves to the decoded JSON answer; an answer other
 * than 200 rejects with a TestgridError carrying the fake's message.
 */
export class Control {
  constructor(url, { timeout = 10_000 } = {}) {
    this.url = new URL(url.replace(/\/+$/, ""));
    this.timeout = timeout;
  }

  /** Any control request: call("POST", "/faults", {...}). */
  call(method, path, body) {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers = {};
    if (data || method === "POST") headers["Content-Type"] = "application/json";
    if (data) headers["Content-Length"] = data.length;
    // node:http rather than fetch: no proxy, no Origin header, a body cap.
    return new Promise((resolve, reject) => {
      const req = http.request(this.url.href + path, { method, headers, timeout: this.timeout }, (res) => {
        const chunks = [];
        let size = 0;
        res.on("data", (chunk) => {
          size += chunk.length;
          if (size > MAX_ANSWER) {
            res.destroy(new TestgridError(`${method} ${path}: answer over ${MAX_ANSWER} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        res.on("error", reject);
        res.on("end", () => {
          let answer;
          try {
            answer = JSON.parse(Buffer.concat(chunks).toString("utf8"));
          } catch {
            reject(new TestgridError(`${method} ${path}: HTTP ${res.statusCode}: not a JSON answer`, res.statusCode));
            return;
          }
          if (res.statusCode !== 200) {
            reject(new TestgridError(`${method} ${path}: HTTP ${res.statusCode}: ${answer.error ?? ""}`, res.statusCode));
            return;
          }
          resolve(answer);
        });
      });
      req.on("timeout", () => req.destroy(new TestgridError(`${method} ${path}: no answer within ${this.timeout} ms`)));
      req.on("error", reject);
      req.end(data);
    });
  }

  /** GET /health: status, projects, pending faults, request count. */
  health() {
    return this.call("GET", "/health");
  }

  /**
   * POST /reset: with no argument, the data (back to what the command line
   * loaded), the queued faults and the request log; else only the parts
   * set to true: reset({ faults: true }).
   */
  reset(parts) {
    return this.call("POST", "/reset", parts);
  }

  /** GET /projects: every project, in ListTestGridProjects order, with its number of sessions. */
  async projects() {
    return (await this.call("GET", "/projects")).testGridProjects;
  }

  /**
   * POST /projects: add a project ({name, description, vpcConfig, created};
   * a random ARN unless `arn` is given), or change the members given of an
   * existing one. Resolves to the project.
   */
  async addProject(project = {}) {
    return (await this.call("POST", "/projects", project)).testGridProject;
  }

  /** POST /seed: generate `sessions` sessions for a project. */
  seed(projectArn, sessions, seed = 1) {
    return this.call("POST", "/seed", { projectArn, sessions, seed });
  }

  /**
   * POST /sessions: add sessions in the service's wire shape (times in epoch
   * seconds). With `projectArn` and no sessions, register an empty project.
   */
  load(sessions = [], projectArn) {
    const body = { testGridSessions: sessions };
    if (projectArn !== undefined) body.projectArn = projectArn;
    return this.call("POST", "/sessions", body);
  }

  /** GET /sessions: the sessions of a project, in listing order. */
  async sessions(projectArn) {
    return (await this.call("GET", "/sessions" + query({ projectArn }))).testGridSessions;
  }

  /**
   * POST /session-data: append actions (the service's shape) and artifacts
   * ({filename, type, contentType, text | base64}) to a loaded session.
   */
  addSessionData(sessionArn, { actions = [], artifacts = [] } = {}) {
    return this.call("POST", "/session-data", { sessionArn, actions, artifacts });
  }

  /** GET /session-data: a session's actions, and its artifacts with their sizes. */
  sessionData(sessionArn) {
    return this.call("GET", "/session-data" + query({ sessionArn }));
  }

  /**
   * POST /faults: arm faults, all or none. A fault is aimed with
   * `operation`, `projectArn`, `nth` and `count`:
   * faults({ preset: "throttling", projectArn, operation: "ListTestGridSessions", nth: 3 }).
   */
  faults(...faults) {
    return this.call("POST", "/faults", { faults });
  }

  /** GET /faults: the faults that will still fire (with `fired`, `pending`), all or those aimed at a project. */
  pendingFaults(projectArn) {
    return this.call("GET", "/faults" + query({ projectArn }));
  }

  /** DELETE /faults: disarm every fault, or those aimed at a project. */
  clearFaults(projectArn) {
    return this.call("DELETE", "/faults" + query({ projectArn }));
  }

  /** GET /requests: the service requests since the start or the last reset, oldest first. */
  async requests() {
    return (await this.call("GET", "/requests")).requests;
  }

  /** POST /latency: wait `duration` (a Go duration such as "250ms"; "0s" removes it) before every answer. */
  latency(duration) {
    return this.call("POST", "/latency", { latency: duration });
  }
}

/**
 * A running `testgrid serve`, as startServe returns it. `ready` is its
 * ready line (endpoint, control, region, accessKeyId, secretAccessKey,
 * projects...); `control` drives its control API.
 */
export class Server {
  #child;
  #stderr; // () => the last 4 KiB of stderr
  #exited;

  /** @private use startServe */
  constructor(child, ready, exited, stderr) {
    this.#child = child;
    this.#exited = exited;
    this.#stderr = stderr;
    this.ready = ready;
    this.endpoint = ready.endpoint;
    this.region = ready.region;
    this.projects = ready.projects.map((p) => p.arn);
    this.control = new Control(ready.control);
  }

  /** The process ID of `testgrid serve`. */
  get pid() {
    return this.#child.pid;
  }

  /** The credentials the fake accepts, in the AWS SDK for JavaScript's shape. */
  get credentials() {
    const c = { accessKeyId: this.ready.accessKeyId, secretAccessKey: this.ready.secretAccessKey };
    if (this.ready.sessionToken) c.sessionToken = this.ready.sessionToken;
    return c;
  }

  /** A client configuration for the AWS SDK v3: new DeviceFarmClient(server.clientConfig()). */
  clientConfig() {
    return { endpoint: this.endpoint, region: this.region, credentials: this.credentials };
  }

  /** What the process wrote on stderr so far (its last 4 KiB). */
  stderr() {
    return this.#stderr().trim();
  }

  /** SIGTERM, then resolve once it exits with status 0; reject otherwise. */
  async stop() {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill("SIGTERM");
    let timer;
    const timeout = new Promise((resolve) => {
      timer = setTimeout(resolve, STOP_TIMEOUT, "timeout");
    });
    const result = await Promise.race([this.#exited, timeout]);
    clearTimeout(timer);
    if (result === "timeout") {
      this.#child.kill("SIGKILL");
      await this.#exited;
      throw new TestgridError(`testgrid serve did not stop within ${STOP_TIMEOUT} ms of SIGTERM`);
    }
    const { code, signal } = result;
    if (code !== 0) {
      throw new TestgridError(`testgrid serve exited with ${code === null ? "signal " + signal : "status " + code}: ${this.stderr()}`);
    }
  }
}

/**
 * Start `testgrid serve args...` and resolve once it printed its ready line.
 * Options: `binary` (default findBinary()), `readyTimeout` (ms).
 */
export function startServe(args = [], { binary, readyTimeout = READY_TIMEOUT } = {}) {
  const child = spawn(findBinary(binary), ["serve", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (s) => {
    stderr = (stderr + s).slice(-STDERR_KEPT);
  });
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));

  return new Promise((resolve, reject) => {
    let line = "";
    let timer;
    const fail = (message) => {
      clearTimeout(timer);
      child.stdout.removeAllListeners("data");
      child.stdout.resume();
      if (child.exitCode === null) child.kill("SIGKILL");
      exited.then(() => reject(new TestgridError(message + (stderr ? `: ${stderr.trim()}` : ""))));
    };
    timer = setTimeout(() => fail(`testgrid serve printed no ready line within ${readyTimeout} ms`), readyTimeout);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(new TestgridError(`cannot run ${findBinary(binary)}: ${err.message} (set TESTGRID or put testgrid on PATH)`));
    });
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (s) => {
      line += s;
      const end = line.indexOf("\n");
      if (end < 0) {
        if (line.length > MAX_READY_LINE) fail("testgrid serve printed no ready line");
        return;
      }
      clearTimeout(timer);
      child.stdout.removeAllListeners("data");
      child.stdout.resume(); // nothing more comes; read to EOF
      let ready;
      try {
        ready = JSON.parse(line.slice(0, end));
      } catch (err) {
        fail(`testgrid serve: not a ready line: ${err.message}`);
        return;
      }
      resolve(new Server(child, ready, exited, () => stderr));
    });
    child.stdout.on("end", () => {
      if (!line.includes("\n")) {
        clearTimeout(timer);
        exited.then(({ code, signal }) =>
          reject(new TestgridError(`testgrid serve exited with ${code === null ? "signal " + signal : "status " + code}: ${stderr.trim()}`)),
        );
      }
    });
  });
}
