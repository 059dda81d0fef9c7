import type { RingflowPrismaClient } from "../prisma-client.js";
import { oneOf } from "./records.js";

/** Every user role, as stored. */
export const USER_ROLES = ["admin", "supervisor", "agent"] as const;

/**
 * `admin` edits flows, queues and agents; `supervisor` watches the
 * wall-board and call history; `agent` sets their own status (the agent
 * row linked to them, `Agent.userId`) and sees nothing else.
 */
export type UserRole = (typeof USER_ROLES)[number];

/**
 * Someone who signs in to the web app. Users, their sessions and password
 * hashes are written by the web app's sign-in library (Better Auth) through
 * `@ringflow/db/auth`; this repository reads them.
 */
export interface User {
  id: string;
  /** Stored lower-cased; unique. */
  email: string;
  name: string;
  role: UserRole;
  /** False once an admin deactivated the user: they cannot sign in. */
  active: boolean;
  /** The agent this user is linked to (see `agents.linkUser`), or null. */
  agentId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Users of the web app. */
export interface UsersRepository {
  get(id: string): Promise<User | null>;
  findByEmail(email: string): Promise<User | null>;
  /** Every user, by e-mail. */
  list(): Promise<User[]>;
  /** How many users there are (zero before the first admin is set up). */
  count(): Promise<number>;
}

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: string;
  banned: boolean;
  createdAt: Date;
  updatedAt: Date;
  agent: { id: string } | null;
}

function toUser(row: UserRow): User {
  const { id, email, name, createdAt, updatedAt } = row;
  return {
    id,
    email,
    name,
    role: oneOf(USER_ROLES, row.role, "user role"),
    active: !row.banned,
    agentId: row.agent?.id ?? null,
    createdAt,
    updatedAt,
  };
}

const withAgent = { agent: { select: { id: true } } } as const;

/** Creates the users repository over `prisma`. */
export function createUsersRepository(prisma: RingflowPrismaClient): UsersRepository {
  return {
    async get(id) {
      const row = await prisma.user.findUnique({ where: { id }, include: withAgent });
      return row ? toUser(row) : null;
    },

    async findByEmail(email) {
      const row = await prisma.user.findUnique({
        where: { email: email.trim().toLowerCase() },
        include: withAgent,
      });
      return row ? toUser(row) : null;
    },

    async list() {
      const rows = await prisma.user.findMany({ orderBy: { email: "asc" }, include: withAgent });
      return rows.map(toUser);
    },

    count: () => prisma.user.count(),
  };
}
