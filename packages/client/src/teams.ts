// Teams: list, read, create, rename, delete, members. Needs teams:read or teams:write.
import type { Http, Success } from "./http.js";
import type { operations } from "./generated/openapi.js";
import type { CreateTeamRequest, RenameTeamRequest, Team } from "./types.js";

export class Teams {
  constructor(private readonly http: Http) {}

  list(): Promise<Success<operations["listTeams"]>> {
    return this.http.request("get", "/api/v1/teams");
  }

  get(id: string): Promise<Team> {
    return this.http.request("get", "/api/v1/teams/{id}", { params: { id } });
  }

  create(request: CreateTeamRequest): Promise<Team> {
    return this.http.request("post", "/api/v1/teams", { body: request });
  }

  rename(id: string, request: RenameTeamRequest): Promise<Team> {
    return this.http.request("patch", "/api/v1/teams/{id}", { params: { id }, body: request });
  }

  /** Refused (409) while any team key still works. */
  delete(id: string): Promise<Success<operations["deleteTeam"]>> {
    return this.http.request("delete", "/api/v1/teams/{id}", { params: { id } });
  }

  members(id: string): Promise<Success<operations["listTeamMembers"]>> {
    return this.http.request("get", "/api/v1/teams/{id}/members", { params: { id } });
  }
}
