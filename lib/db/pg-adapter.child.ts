// A key's life (issue, rotate, revoke) in a process of its own, so that pg-adapter.int.test.ts can
// run it with --throw-deprecation: pg warns only once per process, and a fresh process has not
// used its warning up yet. Usage, with the test's environment:
//   node --conditions=react-server --throw-deprecation --import tsx lib/db/pg-adapter.child.ts <userId>
import type { Actor } from "@/lib/audit/record-audit";
import { issueKey } from "@/lib/keys/change/issue-key";
import { revokeKey } from "@/lib/keys/change/revoke-key";
import { rotateKey } from "@/lib/keys/change/rotate-key";
import { prisma } from "./client";

const [userId] = process.argv.slice(2);
if (!userId) throw new Error("usage: pg-adapter.child.ts <userId>");
const actor: Actor = { id: userId, label: "pg-adapter test", ip: null };
const issued = await issueKey(
  { id: userId, emailVerified: true },
  { name: "one query at a time", expiry: { type: "days", days: 30 }, scopes: ["read"] },
  actor,
);
const rotated = await rotateKey(userId, issued.key.id, { grace: "none" }, actor);
const revoked = await revokeKey(userId, rotated.key.id, {}, actor);
await prisma.$disconnect();
console.log(JSON.stringify({ issued: issued.key.id, rotated: rotated.key.id, revoked: revoked.id }));
process.exit(0);
