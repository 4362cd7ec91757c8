/** The line `testgrid serve` prints on stdout once it listens. */
export interface ReadyLine {
  endpoint: string;
  control: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  anyCredentials: boolean;
  epoch: string;
  pageSize: number;
  projects: { arn: string; sessions: number }[];
  [member: string]: unknown;
}

export declare const READY_TIMEOUT: number;
export declare const STOP_TIMEOUT: number;

/** `testgrid serve` could not start or stop, or its control API refused a request. */
export declare class TestgridError extends Error {
  status?: number;
}

/** The testgrid binary: explicit, else $TESTGRID, else `testgrid` on PATH. */
export declare function findBinary(explicit?: string): string;

/** The control API of one `testgrid serve`. */
export declare class Control {
  constructor(url: string, options?: { timeout?: number });
  url: URL;
  call(method: string, path: string, body?: unknown): Promise<any>;
  health(): Promise<any>;
  reset(parts?: { data?: boolean; faults?: boolean; requests?: boolean }): Promise<any>;
  projects(): Promise<any[]>;
  addProject(project?: { arn?: string; name?: string; description?: string; vpcConfig?: object; created?: string | number }): Promise<any>;
  seed(projectArn: string, sessions: number, seed?: number): Promise<any>;
  load(sessions?: object[], projectArn?: string): Promise<any>;
  sessions(projectArn: string): Promise<any[]>;
  addSessionData(sessionArn: string, data?: { actions?: object[]; artifacts?: object[] }): Promise<{ actions: number; artifacts: number }>;
  sessionData(sessionArn: string): Promise<any>;
  faults(...faults: object[]): Promise<{ queued: number; pending: number; faults: object[] }>;
  pendingFaults(projectArn?: string): Promise<{ pending: number; faults: object[] }>;
  clearFaults(projectArn?: string): Promise<{ pending: number; faults: object[] }>;
  requests(): Promise<any[]>;
  latency(duration: string): Promise<any>;
}

/** A running `testgrid serve`. */
export declare class Server {
  ready: ReadyLine;
  endpoint: string;
  region: string;
  projects: string[];
  control: Control;
  readonly pid: number;
  readonly credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  clientConfig(): {
    endpoint: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  };
  stderr(): string;
  stop(): Promise<void>;
}

/** Start `testgrid serve args...`; resolves once it printed its ready line. */
export declare function startServe(args?: string[], options?: { binary?: string; readyTimeout?: number }): Promise<Server>;
