import { describe, expect, it } from "vitest";
import { auditCsvLine, csvCell } from "./audit-csv";

describe("audit CSV", () => {
  it("quotes what needs quoting and doubles quotes (RFC 4180)", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell(null)).toBe("");
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
  });

  it("defuses cells a spreadsheet would run as a formula", () => {
    for (const start of ["=", "+", "-", "@"])
      expect(csvCell(`${start}HYPERLINK("http://evil")`).startsWith(`"'${start}`)).toBe(true);
    expect(csvCell("=1+1")).toBe("'=1+1");
    expect(csvCell("\tcmd")).toBe("'\tcmd");
    expect(csvCell("\r=1")).toBe('"\'\r=1"');
    expect(csvCell("a=1")).toBe("a=1");
  });

  it("writes one event per line, the detail as JSON", () => {
    const line = auditCsvLine({
      id: "1",
      at: "2026-11-29T00:00:00.000Z",
      actorId: null,
      actorLabel: "=cmd|' /C calc'!A0",
      actor: { type: "system", label: "=cmd|' /C calc'!A0" },
      action: "key.issued",
      keyId: null,
      teamId: "t1",
      ip: "127.0.0.1",
      detail: { note: "a,b" },
    });
    expect(line).toBe(
      `1,2026-11-29T00:00:00.000Z,,'=cmd|' /C calc'!A0,key.issued,,t1,127.0.0.1,"{""note"":""a,b""}",\r\n`,
    );
  });
});
