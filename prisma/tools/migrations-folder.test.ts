import { describe, expect, it } from "vitest";
import { toMigrationSlug } from "./migrations-folder";

describe("toMigrationSlug", () => {
  it.each([
    ["init", "init"],
    ["Add API key notes", "add_api_key_notes"],
    ["addApiKeyNotes", "add_api_key_notes"],
    ["addAPIKey2", "add_api_key2"],
    ["  rename--user's   email! ", "rename_users_email"],
    ["café & crème", "cafe_and_creme"],
    ["!!!", ""],
  ])("%j -> %j", (name, slug) => {
    expect(toMigrationSlug(name)).toBe(slug);
  });

  it("keeps at most 200 characters, the engine's limit", () => {
    expect(toMigrationSlug("a".repeat(250))).toHaveLength(200);
  });
});
