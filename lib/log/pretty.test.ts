import { describe, expect, it } from "vitest";
import { prettyLine } from "./pretty";

describe("prettyLine", () => {
  it("turns a JSON line into time, level, message and fields", () => {
    const line = prettyLine(
      JSON.stringify({
        level: "info",
        time: "2026-12-07T01:02:03.456Z",
        pid: 7,
        reqId: "r1",
        msg: "request",
        status: 200,
        path: "/api/ping",
      }),
    );
    expect(line).toBe("01:02:03.456 INFO  request  reqId=r1 status=200 path=/api/ping\n");
  });
  it("shows an error's stack under its line, and passes through what is not JSON", () => {
    const line = prettyLine(
      JSON.stringify({
        level: "error",
        time: "2026-12-07T01:02:03.456Z",
        msg: "boom",
        err: { message: "bad", stack: "Error: bad\n    at x" },
      }),
    );
    expect(line).toBe("01:02:03.456 ERROR boom\n    Error: bad\n        at x\n");
    expect(prettyLine("not json\n")).toBe("not json\n");
  });
});
