import { betterAuth } from "better-auth";
import { admin } from "better-auth/plugins";
import { describe, expect, it } from "vitest";
import { betterAuthDatabase } from "../src/auth/index.js";
import type { Db } from "../src/create-db.js";
import { NotFoundError } from "../src/errors.js";
import { RATE_LIMIT_KEY_PREFIX } from "../src/repositories/rate-limits.js";
import { type BehaviourFixture, unique } from "./behaviour-fixture.js";
import { queryRaw } from "./raw-sql.js";

const BASE_URL = "http://127.0.0.1:3000";
const PASSWORD = "correct horse battery staple";

/** Better Auth as the web app configures it, over `db`; no network (telemetry off). */
function createAuth(db: Db, options: { signInPerWindow?: number } = {}) {
  return betterAuth({
    database: betterAuthDatabase(db),
    baseURL: BASE_URL,
    secret: "a test secret that is long enough for better-auth",
    emailAndPassword: { enabled: true },
    plugins: [admin({ defaultRole: "supervisor" })],
    telemetry: { enabled: false },
    rateLimit: {
      enabled: options.signInPerWindow !== undefined,
      storage: "database",
      customRules: { "/sign-in/email": { window: 60, max: options.signInPerWindow ?? 100 } },
    },
  });
}

/** The `cookie` header a browser would send back after `setCookie`. */
function cookieFrom(headers: Headers): Headers {
  const cookies = headers.getSetCookie().map((line) => line.split(";")[0]);
  return new Headers({ cookie: cookies.join("; ") });
}

/**
 * Sign-in through Better Auth on `@ringflow/db/auth`: users, password hashes
 * and sessions land in Ringflow's tables, and the read-only users
 * repository reads them back.
 */
export function describeSignIn(fixture: () => BehaviourFixture): void {
  describe("sign-in through Better Auth", () => {
    it("creates a user server-side, signs in, and stores the session", async () => {
      const { db, url } = fixture();
      const auth = createAuth(db);
      const before = await db.users.count();
      const email = `${unique("ann")}@example.com`;
      const created = await auth.api.createUser({
        body: { email: email.toUpperCase(), password: PASSWORD, name: "Ann", role: "admin" },
      });
      expect(await db.users.count()).toBe(before + 1);
      const user = await db.users.findByEmail(email);
      expect(user).toEqual({
        id: created.user.id,
        email,
        name: "Ann",
        role: "admin",
        active: true,
        agentId: null,
        createdAt: expect.any(Date),
        updatedAt: expect.any(Date),
      });
      expect(await db.users.get(created.user.id)).toEqual(user);
      expect(await db.users.list()).toContainEqual(user);

      const [account] = await queryRaw(
        url,
        `SELECT "providerId", "password" FROM "Account" WHERE "userId" = '${created.user.id}'`,
      );
      expect(account?.providerId).toBe("credential");
      expect(String(account?.password)).not.toContain(PASSWORD);

      const signedIn = await auth.api.signInEmail({ body: { email, password: PASSWORD } });
      expect(signedIn.user.id).toBe(created.user.id);
      const sessions = await queryRaw(
        url,
        `SELECT "token", "expiresAt" FROM "Session" WHERE "userId" = '${created.user.id}'`,
      );
      expect(sessions.map((row) => row.token)).toEqual([signedIn.token]);

      await expect(
        auth.api.signInEmail({ body: { email, password: "wrong password" } }),
      ).rejects.toMatchObject({ status: "UNAUTHORIZED" });
    });

    it("signs up a supervisor by default; a banned user is inactive and cannot sign in", async () => {
      const { db, url } = fixture();
      const auth = createAuth(db);
      const adminEmail = `${unique("admin")}@example.com`;
      await auth.api.createUser({
        body: { email: adminEmail, password: PASSWORD, name: "Admin", role: "admin" },
      });
      const email = `${unique("sam")}@example.com`;
      const signedUp = await auth.api.signUpEmail({
        body: { email, password: PASSWORD, name: "Sam" },
      });
      expect(await db.users.get(signedUp.user.id)).toMatchObject({
        role: "supervisor",
        active: true,
      });

      const { headers } = await auth.api.signInEmail({
        body: { email: adminEmail, password: PASSWORD },
        returnHeaders: true,
      });
      await auth.api.banUser({ body: { userId: signedUp.user.id }, headers: cookieFrom(headers) });
      expect(await db.users.get(signedUp.user.id)).toMatchObject({ active: false });
      expect(
        await queryRaw(url, `SELECT "id" FROM "Session" WHERE "userId" = '${signedUp.user.id}'`),
      ).toEqual([]);
      await expect(
        auth.api.signInEmail({ body: { email, password: PASSWORD } }),
      ).rejects.toMatchObject({ status: "FORBIDDEN" });
    });

    it("links an agent user to one agent, moves and clears the link, and drops it with the user", async () => {
      const { db } = fixture();
      const auth = createAuth(db);
      const adminEmail = `${unique("admin")}@example.com`;
      await auth.api.createUser({
        body: { email: adminEmail, password: PASSWORD, name: "Admin", role: "admin" },
      });
      const { headers } = await auth.api.signInEmail({
        body: { email: adminEmail, password: PASSWORD },
        returnHeaders: true,
      });
      const { user } = await auth.api.createUser({
        body: { email: `${unique("aggie")}@example.com`, password: PASSWORD, name: "Aggie" },
      });
      await auth.api.setRole({
        body: { userId: user.id, role: "agent" as "admin" },
        headers: cookieFrom(headers),
      });
      const [first, second] = await Promise.all(
        ["First", "Second"].map((name) =>
          db.agents.create({ contact: `user/${unique(name)}`, name }),
        ),
      );
      if (!first || !second) throw new Error("agents not created");
      expect(await db.users.get(user.id)).toMatchObject({ role: "agent", agentId: null });
      expect(await db.agents.findByUserId(user.id)).toBeNull();

      const linked = await db.agents.linkUser({ agentId: first.id, userId: user.id });
      expect(linked).toMatchObject({ id: first.id, userId: user.id, revision: first.revision + 1 });
      expect(await db.agents.findByUserId(user.id)).toEqual(linked);
      expect(await db.users.get(user.id)).toMatchObject({ agentId: first.id });

      // One agent per user: linking them to another takes them from the first.
      await db.agents.linkUser({ agentId: second.id, userId: user.id });
      expect((await db.agents.get(first.id))?.userId).toBeNull();
      expect((await db.agents.findByUserId(user.id))?.id).toBe(second.id);

      await expect(
        db.agents.linkUser({ agentId: "no-such-agent", userId: user.id }),
      ).rejects.toBeInstanceOf(NotFoundError);
      await expect(
        db.agents.linkUser({ agentId: first.id, userId: "no-such-user" }),
      ).rejects.toBeInstanceOf(NotFoundError);
      expect((await db.agents.findByUserId(user.id))?.id).toBe(second.id);

      await db.agents.linkUser({ agentId: second.id, userId: null });
      expect(await db.agents.findByUserId(user.id)).toBeNull();

      // A removed user leaves their agent unlinked, not deleted.
      await db.agents.linkUser({ agentId: first.id, userId: user.id });
      await auth.api.removeUser({ body: { userId: user.id }, headers: cookieFrom(headers) });
      expect(await db.agents.get(first.id)).toMatchObject({ userId: null, name: "First" });
    });

    it("counts sign-in attempts per address in the RateLimit table, beside Ringflow's keys", async () => {
      const { db, url } = fixture();
      const auth = createAuth(db, { signInPerWindow: 2 });
      const address = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
      const attempt = () =>
        auth.handler(
          new Request(`${BASE_URL}/api/auth/sign-in/email`, {
            method: "POST",
            headers: { "content-type": "application/json", "x-forwarded-for": address },
            body: JSON.stringify({ email: `${unique("nobody")}@example.com`, password: PASSWORD }),
          }),
        );
      const statuses = [];
      for (let i = 0; i < 3; i += 1) statuses.push((await attempt()).status);
      expect(statuses).toEqual([401, 401, 429]);
      const rows = await queryRaw(
        url,
        `SELECT "key", "count" FROM "RateLimit" WHERE "key" LIKE '%${address}%'`,
      );
      expect(rows).toHaveLength(1);
      expect(String(rows[0]?.key).startsWith(RATE_LIMIT_KEY_PREFIX)).toBe(false);
    });
  });
}
