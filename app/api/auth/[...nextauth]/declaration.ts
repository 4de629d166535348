import type { UndocumentedDeclaration } from "@/lib/routes/declaration";

const NEXT_AUTH: UndocumentedDeclaration = {
  access: "auth",
  undocumented: "next-auth's sign-in, callback and session endpoints: its protocol, not Keyward's API",
};

export const GET = NEXT_AUTH;
export const POST = NEXT_AUTH;
