// Plausible values several routes' declarations (and test-support's page list) share: the
// matrix and fuzz tests send them, the fuzz mixed with hostile ones.

export const LIST_QUERY = {
  tab: ["active", "expiring", "blacklisted", "all"],
  q: ["svc", "kw_", "a"],
  sort: ["createdAt", "expiresAt", "name", "lastUsedAt"],
  dir: ["asc", "desc"],
  page: ["1", "2", "100000"],
  pageSize: ["1", "20", "100"],
};
export const PAGING = { page: ["1", "2"], pageSize: ["1", "20", "100"] };
export const EXPIRY = [
  { type: "days", days: 30 },
  { type: "days", days: 7 },
  { type: "date", date: "2027-01-31" },
  { type: "never" },
];
