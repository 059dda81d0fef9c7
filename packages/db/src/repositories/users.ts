import type { RingflowPrismaClient } from "../prisma-client.js";
import { oneOf } from "./records.js";

/** Every user role, as stored. */
export const USER_ROLES = ["admin", "supervisor"] as const;

/** `admin` edits flows, queues and agents; `supervisor` watches the wall-board and call history. */
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
}

function toUser(row: UserRow): User {
  const { id, email, name, createdAt, updatedAt } = row;
  return {
    id,
    email,
    name,
    role: oneOf(USER_ROLES, row.role, "user role"),
    active: !row.banned,
    createdAt,
    updatedAt,
  };
}

/** Creates the users repository over `prisma`. */
export function createUsersRepository(prisma: RingflowPrismaClient): UsersRepository {
  return {
    async get(id) {
      const row = await prisma.user.findUnique({ where: { id } });
      return row ? toUser(row) : null;
    },

    async findByEmail(email) {
      const row = await prisma.user.findUnique({ where: { email: email.trim().toLowerCase() } });
      return row ? toUser(row) : null;
    },

    async list() {
      const rows = await prisma.user.findMany({ orderBy: { email: "asc" } });
      return rows.map(toUser);
    },

    count: () => prisma.user.count(),
  };
}
