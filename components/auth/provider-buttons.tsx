import { signIn } from "@/lib/auth";
import { Button } from "@/components/ui/button";

/** "Continue with GitHub", "Continue with <OIDC_NAME>": next-auth, then the provider, then back. */
export function ProviderButtons({
  providers,
  callbackUrl,
}: {
  providers: { id: string; name: string }[];
  callbackUrl: string;
}) {
  if (providers.length === 0) return null;
  return (
    <div className="mb-4 space-y-2">
      {providers.map((provider) => (
        <form
          key={provider.id}
          action={async () => {
            "use server";
            await signIn(provider.id, { redirectTo: callbackUrl });
          }}
        >
          <Button type="submit" variant="secondary" className="w-full">
            {`Continue with ${provider.name}`}
          </Button>
        </form>
      ))}
      <div className="pt-2 text-center text-xs uppercase tracking-wide text-zinc-500">or</div>
    </div>
  );
}
