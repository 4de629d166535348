// The quick start's demo accounts (prisma/seed/demo.ts). Their passwords are random but printed
// to a terminal, so a production start refuses to serve while they exist, unless asked for
// (SEED_DEMO=true), and `npm run db:remove-demo` removes them.
export const DEMO_ADMIN_EMAIL = "admin@keyward.local";
export const DEMO_USER_EMAIL = "demo@keyward.local";
export const DEMO_EMAILS = [DEMO_ADMIN_EMAIL, DEMO_USER_EMAIL];
