// The deployment files cannot be run here (no container engine, no cluster, no systemd as PID 1),
// so they are checked against what they configure, so that they cannot drift from the code:
// - compose.yaml and deploy/kubernetes: every variable they give Keyward is one Keyward reads
//   (lib/env-schema.mjs), every variable production requires is set, the values pass the same
//   validation a start does, the probes and the sweep point at real routes with CRON_SECRET;
// - deploy/keyward.service: `systemd-analyze verify` (where installed) finds nothing to say, and
//   the hardening options are there.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { parseEnv, PROCESS_SETTINGS, REQUIRED_IN_PRODUCTION, ZEnv } from "@/lib/env-schema.mjs";

const root = join(import.meta.dirname, "../..");
const KNOWN = new Set([...Object.keys(ZEnv.shape), ...PROCESS_SETTINGS]);

/** Sample values for compose's required `${NAME:?…}` interpolations, as an operator's .env would give them. */
const OPERATOR_ENV: Record<string, string> = {
  POSTGRES_PASSWORD: "a-database-password",
  AUTH_SECRET: "x".repeat(44),
  CRON_SECRET: "y".repeat(32),
  APP_URL: "https://keys.example.com",
};

/** Compose's interpolation: ${NAME}, ${NAME:-default}, ${NAME:?error}, from OPERATOR_ENV (unset otherwise). */
function interpolate(value: string): string {
  return value.replace(/\$\{(\w+)(?::?([-?])([^}]*))?\}/g, (_, name: string, kind?: string, rest?: string) => {
    const given = OPERATOR_ENV[name];
    if (given !== undefined && given !== "") return given;
    if (kind === "-") return rest ?? "";
    if (kind === "?") throw new Error(`compose would stop: ${name} is required (${rest}) and the sample .env lacks it`);
    return "";
  });
}

type ComposeService = {
  image?: string;
  build?: unknown;
  environment?: Record<string, string | number | boolean | null>;
  command?: string[];
  depends_on?: unknown;
  profiles?: string[];
  stop_grace_period?: string;
};

describe("compose.yaml", () => {
  const compose = parse(readFileSync(join(root, "compose.yaml"), "utf8"), { merge: true }) as {
    services: Record<string, ComposeService>;
  };
  const keyward = Object.entries(compose.services).filter(([, s]) => s.image?.startsWith("keyward"));
  const servers = keyward.filter(([, s]) => !s.command);

  it("runs PostgreSQL, two Keyward instances, a sweep scheduler and Redis behind a profile", () => {
    expect(compose.services.postgres?.image).toMatch(/^postgres:/);
    expect(compose.services.redis?.profiles).toEqual(["redis"]);
    expect(servers.map(([name]) => name)).toHaveLength(2);
    expect(keyward.filter(([, s]) => s.command)).toHaveLength(1);
    // Built once; the other services use the image it makes.
    expect(keyward.filter(([, s]) => s.build)).toHaveLength(1);
  });

  it.each(["keyward-1", "keyward-2", "sweep"])("%s: sets only variables Keyward reads", (name) => {
    const unknown = Object.keys(compose.services[name]!.environment ?? {}).filter((v) => !KNOWN.has(v));
    expect(unknown).toEqual([]);
  });

  it("each instance: production, the required settings and a shared database, values a start accepts", () => {
    for (const [name, service] of servers) {
      const env = Object.fromEntries(
        Object.entries(service.environment ?? {}).map(([k, v]) => [k, interpolate(String(v ?? ""))]),
      );
      expect(env.NODE_ENV, name).toBe("production");
      for (const required of [...REQUIRED_IN_PRODUCTION, "DATABASE_URL"])
        expect(env[required], `${name}: ${required}`).toBeTruthy();
      expect(() => parseEnv(env), name).not.toThrow();
      expect(new URL(env.DATABASE_URL!).hostname).toBe("postgres");
      // More than 10 s to stop: the usage flush must not be cut short by a SIGKILL.
      expect(service.stop_grace_period, name).toMatch(/^[1-9]\d+s$/);
    }
    // Both read the same secrets and database: sessions and webhook secrets work on either.
    const [a, b] = servers.map(([, s]) => s.environment!);
    for (const shared of ["DATABASE_URL", "AUTH_SECRET", "CRON_SECRET", "APP_URL"]) expect(a![shared]).toBe(b![shared]);
  });

  it("the scheduler calls the sweep with the instances' CRON_SECRET", () => {
    const [, sweep] = keyward.find(([, s]) => s.command)!;
    expect(sweep.command!.join(" ")).toContain("npm run --silent sweep");
    expect(sweep.environment!.CRON_SECRET).toBe(servers[0]![1].environment!.CRON_SECRET);
    expect(new URL(String(sweep.environment!.APP_URL)).hostname).toBe(servers[0]![0]);
    expect(readFileSync(join(root, "package.json"), "utf8")).toContain('"sweep":');
  });
});

type Container = {
  image: string;
  command?: string[];
  env?: {
    name: string;
    value?: string;
    valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } };
  }[];
  livenessProbe?: { httpGet?: { path: string } };
  readinessProbe?: { httpGet?: { path: string } };
  startupProbe?: { httpGet?: { path: string } };
  securityContext?: { allowPrivilegeEscalation?: boolean };
};

describe("deploy/kubernetes/keyward.yaml", () => {
  const docs = parseAllDocuments(readFileSync(join(root, "deploy/kubernetes/keyward.yaml"), "utf8")).map(
    (d) => d.toJS() as { kind: string; spec: Record<string, unknown>; metadata: { name: string } },
  );
  const byKind = (kind: string) => docs.filter((d) => d.kind === kind);
  const deployment = byKind("Deployment")[0]!.spec as {
    replicas: number;
    template: { spec: { containers: Container[]; securityContext: { runAsNonRoot: boolean; runAsUser: number } } };
  };
  const cron = byKind("CronJob")[0]!.spec as {
    schedule: string;
    concurrencyPolicy: string;
    jobTemplate: { spec: { template: { spec: { containers: Container[] } } } };
  };
  const server = deployment.template.spec.containers[0]!;
  const sweep = cron.jobTemplate.spec.template.spec.containers[0]!;

  it("a Deployment, a Service and a CronJob", () => {
    expect(docs.map((d) => d.kind).sort()).toEqual(["CronJob", "Deployment", "Service"]);
    expect(deployment.replicas).toBeGreaterThan(1);
  });

  it("liveness asks /api/health, readiness /api/ready; both routes exist", () => {
    expect(server.livenessProbe?.httpGet?.path).toBe("/api/health");
    expect(server.startupProbe?.httpGet?.path).toBe("/api/health");
    expect(server.readinessProbe?.httpGet?.path).toBe("/api/ready");
    expect(existsSync(join(root, "app/api/health/route.ts"))).toBe(true);
    // /api/ready is issue 23's readiness route (built beside this file's branch).
  });

  it("runs as the image's user, without privileges", () => {
    expect(deployment.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
    expect(readFileSync(join(root, "Dockerfile"), "utf8")).toContain("--uid 10001");
    for (const c of [server, sweep]) expect(c.securityContext?.allowPrivilegeEscalation).toBe(false);
  });

  it("sets only variables Keyward reads, and every one production requires, with DATABASE_URL", () => {
    for (const container of [server, sweep]) {
      const unknown = (container.env ?? []).map((e) => e.name).filter((n) => !KNOWN.has(n));
      expect(unknown, container.image).toEqual([]);
    }
    const names = new Set(
      (server.env ?? [])
        .filter((e) => e.value || (e.valueFrom?.secretKeyRef && !e.valueFrom.secretKeyRef.optional))
        .map((e) => e.name),
    );
    for (const required of [...REQUIRED_IN_PRODUCTION, "DATABASE_URL"])
      expect(names.has(required), required).toBe(true);
    const literal = Object.fromEntries(
      (server.env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value!]),
    );
    expect(() => parseEnv({ ...literal, NODE_ENV: "production" })).not.toThrow();
  });

  it("the CronJob calls the sweep through the Service with the same CRON_SECRET, never two at once", () => {
    expect(sweep.command).toEqual(["npm", "run", "--silent", "sweep"]);
    expect(cron.concurrencyPolicy).toBe("Forbid");
    const secretOf = (c: Container, name: string) => c.env?.find((e) => e.name === name)?.valueFrom?.secretKeyRef;
    expect(secretOf(sweep, "CRON_SECRET")).toEqual(secretOf(server, "CRON_SECRET"));
    const service = byKind("Service")[0]!;
    expect(new URL(sweep.env!.find((e) => e.name === "APP_URL")!.value!).hostname).toBe(service.metadata.name);
  });
});

describe("deploy/keyward.service", () => {
  const unit = readFileSync(join(root, "deploy/keyward.service"), "utf8");
  const settings = new Map(
    unit
      .split("\n")
      .filter((l) => /^\w+=/.test(l))
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );

  it("hardened: no new privileges, no capabilities, a read-only system, private tmp and devices", () => {
    expect(
      Object.fromEntries(
        [
          "NoNewPrivileges",
          "ProtectSystem",
          "ProtectHome",
          "PrivateTmp",
          "PrivateDevices",
          "CapabilityBoundingSet",
          "RestrictSUIDSGID",
          "UMask",
        ].map((k) => [k, settings.get(k)]),
      ),
    ).toEqual({
      NoNewPrivileges: "yes",
      ProtectSystem: "strict",
      ProtectHome: "yes",
      PrivateTmp: "yes",
      PrivateDevices: "yes",
      CapabilityBoundingSet: "",
      RestrictSUIDSGID: "yes",
      UMask: "0077",
    });
    // V8 writes machine code at run time: this option would kill Node at start.
    expect(settings.has("MemoryDenyWriteExecute")).toBe(false);
    expect(settings.get("ExecStart")).toMatch(/node .*scripts\/start\.ts$/);
    expect(settings.get("User")).toBe("keyward");
  });

  const analyze = spawnSync("systemd-analyze", ["--version"]).status === 0;
  it.skipIf(!analyze || !existsSync("/usr/bin/node"))(
    "systemd-analyze verify accepts it without a single remark",
    () => {
      const result = spawnSync("systemd-analyze", ["verify", join(root, "deploy/keyward.service")], {
        encoding: "utf8",
      });
      // Unknown or misspelt options are only warnings (exit 0): any output at all fails the test.
      expect(result.stderr + result.stdout).toBe("");
      expect(result.status).toBe(0);
    },
  );
});

const installed = (command: string, args: string[]) => spawnSync(command, args, { stdio: "ignore" }).status === 0;

describe("deploy/nginx/keyward.conf and deploy/caddy/Caddyfile", () => {
  const nginx = readFileSync(join(root, "deploy/nginx/keyward.conf"), "utf8");

  it("forward the client's address for TRUSTED_PROXIES, redirect http, keep HSTS and Keyward's 1 MiB body limit", () => {
    expect(nginx).toContain("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;");
    expect(nginx).toContain("return 301 https://$host$request_uri;");
    expect(nginx).toContain('Strict-Transport-Security "max-age=63072000; includeSubDomains"');
    expect(nginx).toContain("client_max_body_size 1m;");
    // Longer than a sweep call's budget (SWEEP_MAX_SECONDS, 50 s by default).
    expect(Number(/proxy_read_timeout (\d+)s/.exec(nginx)?.[1])).toBeGreaterThan(50);
    expect(readFileSync(join(root, "deploy/caddy/Caddyfile"), "utf8")).toMatch(/reverse_proxy 127\.0\.0\.1:3000/);
  });

  it.skipIf(!installed("nginx", ["-v"]))(
    "nginx -t accepts the server blocks (with a throwaway certificate in place of the real one)",
    () => {
      const dir = mkdtempSync(join(tmpdir(), "keyward-nginx-"));
      try {
        const cert = spawnSync("openssl", [
          "req",
          "-x509",
          "-newkey",
          "rsa:2048",
          "-nodes",
          "-keyout",
          join(dir, "privkey.pem"),
          "-out",
          join(dir, "fullchain.pem"),
          "-days",
          "1",
          "-subj",
          "/CN=keys.example.com",
        ]);
        expect(cert.status).toBe(0);
        writeFileSync(
          join(dir, "keyward.conf"),
          nginx.replaceAll("/etc/letsencrypt/live/keys.example.com/", `${dir}/`),
        );
        writeFileSync(
          join(dir, "nginx.conf"),
          `pid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents {}\nhttp {\n  access_log off;\n  include ${dir}/keyward.conf;\n}\n`,
        );
        const result = spawnSync(
          "nginx",
          ["-t", "-p", dir, "-e", join(dir, "error.log"), "-c", join(dir, "nginx.conf")],
          { encoding: "utf8" },
        );
        expect(result.stderr).toContain("test is successful");
        expect(result.stderr).not.toMatch(/\[(warn|emerg|alert)\]/);
        expect(result.status).toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it.skipIf(!installed("caddy", ["version"]))("caddy validate accepts the Caddyfile", () => {
    const home = mkdtempSync(join(tmpdir(), "keyward-caddy-"));
    try {
      const result = spawnSync(
        "caddy",
        ["validate", "--config", join(root, "deploy/caddy/Caddyfile"), "--adapter", "caddyfile"],
        {
          encoding: "utf8",
          env: { ...process.env, HOME: home, XDG_DATA_HOME: home, XDG_CONFIG_HOME: home },
        },
      );
      expect(result.stdout + result.stderr).toContain("Valid configuration");
      expect(result.status).toBe(0);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
