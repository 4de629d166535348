import { describe, expect, it } from "vitest";
import { forgetOwner, onOwnerForgotten } from "./owner-change";

describe("forgetOwner", () => {
  it("reaches what the process registered, so a single instance (KEY_CACHE_SYNC=local) forgets too", () => {
    const forgotten: string[] = [];
    onOwnerForgotten((id) => forgotten.push(id));
    forgetOwner("team-1");
    expect(forgotten).toEqual(["team-1"]);
  });
});
