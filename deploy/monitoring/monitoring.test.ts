// The sample Grafana dashboard and Prometheus alert rules refer only to metrics Keyward has: a
// renamed metric breaks this test, not an operator's alerting. promtool (Debian's `prometheus`
// package) checks the rules' syntax where it is installed.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { metricNames } from "@/lib/metrics/registry";

const dir = import.meta.dirname;
const RULES = join(dir, "keyward-alerts.yml");
const DASHBOARD = join(dir, "keyward-dashboard.json");

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const rules = (parse(readFileSync(RULES, "utf8")) as { groups: { name: string; rules: Rule[] }[] }).groups.flatMap(
  (g) => g.rules,
);
const dashboard = JSON.parse(readFileSync(DASHBOARD, "utf8")) as {
  uid: string;
  title: string;
  panels: { title: string; targets: { expr: string }[] }[];
};

/** The series names a family exposes: a histogram's _bucket/_sum/_count, a counter's own name. */
function exposedSeries(): Set<string> {
  const names = new Set<string>();
  for (const name of metricNames())
    for (const suffix of ["", "_bucket", "_sum", "_count"]) names.add(`${name}${suffix}`);
  return names;
}

/** The keyward_* metric names a PromQL expression reads (not the keyward:* recording rules). */
const metricsIn = (expr: string) => [...expr.matchAll(/\bkeyward_[a-z0-9_]+/g)].map((m) => m[0]);

describe("the alert rules", () => {
  it("cover the cases that hurt users: cron stopped, verify 5xx, LISTEN down, outbox and webhooks stuck", () => {
    const alerts = rules.filter((r) => r.alert).map((r) => r.alert);
    expect(alerts).toEqual(
      expect.arrayContaining([
        "KeywardSweepStopped",
        "KeywardVerifyErrors",
        "KeywardListenDown",
        "KeywardOutboxStuck",
        "KeywardWebhooksStuck",
      ]),
    );
    for (const rule of rules.filter((r) => r.alert)) {
      expect(rule.labels?.severity, rule.alert).toMatch(/^(critical|warning|info)$/);
      expect(rule.annotations?.summary, rule.alert).toBeTruthy();
    }
    // Twice the sweep's interval, as the recording rule states it.
    expect(rules.find((r) => r.alert === "KeywardSweepStopped")!.expr).toContain(
      "2 * scalar(keyward:sweep_interval_seconds)",
    );
  });

  it("read only metrics the registry has, and every recording rule they use is defined", () => {
    const known = exposedSeries();
    const recorded = new Set(rules.filter((r) => r.record).map((r) => r.record));
    for (const rule of rules) {
      for (const metric of metricsIn(rule.expr))
        expect(known.has(metric), `${rule.alert ?? rule.record}: ${metric}`).toBe(true);
      for (const [used] of rule.expr.matchAll(/\bkeyward:[a-z0-9_:]+/g))
        expect(recorded.has(used), `${rule.alert}: ${used}`).toBe(true);
    }
    expect(rules.flatMap((r) => metricsIn(r.expr)).length).toBeGreaterThan(8);
  });

  it.skipIf(spawnSync("promtool", ["--version"]).error !== undefined)("pass promtool check rules", () => {
    const checked = spawnSync("promtool", ["check", "rules", RULES], { encoding: "utf8" });
    expect(checked.status, checked.stdout + checked.stderr).toBe(0);
    expect(checked.stdout).toContain("SUCCESS");
  });
});

describe("the Grafana dashboard", () => {
  it("reads only metrics the registry has, and shows every family of them", () => {
    const known = exposedSeries();
    const families = new Set(metricNames());
    const used = new Set<string>();
    for (const panel of dashboard.panels) {
      expect(panel.targets.length, panel.title).toBeGreaterThan(0);
      for (const { expr } of panel.targets) {
        for (const metric of metricsIn(expr)) {
          expect(known.has(metric), `${panel.title}: ${metric}`).toBe(true);
          used.add(families.has(metric) ? metric : metric.replace(/_(bucket|sum|count)$/, ""));
        }
      }
    }
    // Keyward's own families (not prom-client's process defaults) all have a panel.
    const own = metricNames().filter((name) => !/^keyward_(process|nodejs)_/.test(name));
    for (const name of own) expect(used.has(name), `no panel shows ${name}`).toBe(true);
    expect(dashboard.uid).toBe("keyward-overview");
  });
});
