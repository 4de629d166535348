import { signIn } from "@/lib/auth";
import { Button } from "@/components/ui/button";

export function GitHubButton({ callbackUrl }: { callbackUrl: string }) {
  return (
    <form
      className="mb-4"
      action={async () => {
        "use server";
        await signIn("github", { redirectTo: callbackUrl });
      }}
    >
      <Button type="submit" variant="secondary" className="w-full">
        Continue with GitHub
      </Button>
      <div className="mt-4 text-center text-xs uppercase tracking-wide text-zinc-500">or</div>
    </form>
  );
}
