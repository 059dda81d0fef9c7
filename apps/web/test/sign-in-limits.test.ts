import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNT_ATTEMPTS, ADDRESS_ATTEMPTS_PER_MINUTE } from "@/server/auth";
import { ADMIN, type ApiHarness, openApiHarness } from "./api-harness";

let api: ApiHarness;
beforeAll(async () => {
  api = await openApiHarness("sqlite");
}, 60_000);
afterAll(async () => {
  await api?.close();
});

function signInRequest(email: string, password: string, address: string): Request {
  return new Request("http://localhost:3000/api/auth/sign-in/email", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      origin: "http://localhost:3000",
      "x-forwarded-for": address,
    },
    body: JSON.stringify({ email, password }),
  });
}

describe("sign-in attempts", () => {
  it("are limited per account, from any address, even for the right password", async () => {
    const email = "limited@example.com";
    await api.admin.users.create({
      email,
      name: "Limited",
      role: "supervisor",
      password: "a long enough password",
    });
    const user = { email };
    const statuses: number[] = [];
    for (let i = 0; i < ACCOUNT_ATTEMPTS + 1; i++) {
      // A new address each time: the per-address limit never applies.
      const response = await api.services.auth.handler(
        signInRequest(user.email, "wrong password!", `198.51.100.${i + 1}`),
      );
      statuses.push(response.status);
    }
    expect(statuses.slice(0, ACCOUNT_ATTEMPTS).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    const locked = await api.services.auth.handler(
      signInRequest(user.email, "a long enough password", "198.51.100.200"),
    );
    expect(locked.status).toBe(429);
    expect(await locked.json()).toMatchObject({ code: "ACCOUNT_LOCKED" });
    // Other accounts are not affected.
    const other = await api.services.auth.handler(
      signInRequest(ADMIN.email, ADMIN.password, "198.51.100.201"),
    );
    expect(other.status).toBe(200);
    expect(other.headers.getSetCookie().join(";")).toMatch(
      /ringflow\.session_token=.*HttpOnly.*SameSite=Lax/i,
    );
  });

  it("are limited per address, whatever account they try", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < ADDRESS_ATTEMPTS_PER_MINUTE + 1; i++) {
      const response = await api.services.auth.handler(
        signInRequest(`nobody${i}@example.com`, "wrong password!", "203.0.113.7"),
      );
      statuses.push(response.status);
    }
    expect(statuses.slice(0, ADDRESS_ATTEMPTS_PER_MINUTE).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    const elsewhere = await api.services.auth.handler(
      signInRequest("nobody@example.com", "wrong password!", "203.0.113.8"),
    );
    expect(elsewhere.status).toBe(401);
  });

  it("are checked against a memory-hard hash", async () => {
    // Better Auth's default: scrypt (N=16384, r=16), stored as `salt:key` in hex.
    const context = await api.services.auth.$context;
    const hash = await context.password.hash("some password 123");
    expect(hash).toMatch(/^[0-9a-f]{32}:[0-9a-f]{128}$/);
    expect(await context.password.verify({ hash, password: "some password 123" })).toBe(true);
  });
});

describe("the origin check without a public address", () => {
  it("accepts a sign-in from the origin the request was sent to, and refuses another", async () => {
    const { createAuth } = await import("@/server/auth");
    const auth = createAuth({ db: api.services.db, secret: "x".repeat(32) });
    const request = (origin: string) =>
      new Request("http://127.0.0.1:3200/api/auth/sign-in/email", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          host: "127.0.0.1:3200",
          origin,
          "x-forwarded-for": "192.0.2.50",
        },
        body: JSON.stringify({ email: ADMIN.email, password: ADMIN.password }),
      });
    expect((await auth.handler(request("http://127.0.0.1:3200"))).status).toBe(200);
    expect((await auth.handler(request("http://evil.example"))).status).toBe(403);
  });
});
