import { revokeKey } from "@/lib/keys/revoke-key";
import { getOwnKeyOrThrow } from "@/lib/keys/get-key-or-throw";
import { findSessionUser } from "@/lib/users/authenticate";
import { prisma } from "@/lib/db/client";
import { seedKey, seedUser } from "@/prisma/seed/factories";
const user = await seedUser(prisma as never);
let errors = 0;
for (let round = 0; round < 30; round++) {
  const key = await seedKey(prisma as never, { userId: user.id });
  await Promise.all(Array.from({ length: 6 }, async (_, i) => {
    try {
      await findSessionUser(user.id);
      await revokeKey(user.id, key.id, i % 2 ? { note: "x" } : {}, { id: user.id, label: user.email, ip: null });
    } catch (e) {
      const m = (e as Error).message;
      if (!m.includes("already blacklisted")) { errors++; console.log("ERR", m.slice(0, 300).replace(/\n/g, " ")); }
    }
  }));
}
console.log("unexpected errors:", errors);
await prisma.$disconnect();
process.exit(0);
