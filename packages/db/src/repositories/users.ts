import { AlreadyExistsError } from "../errors.js";
import type { RingflowPrismaClient } from "../prisma-client.js";
import { oneOf, translatePrismaErrors } from "./records.js";

/** Every user role, as stored. */
export const USER_ROLES = ["admin", "supervisor"] as const;

/** `admin` edits flows, queues and agents; `supervisor` watches the wall-board. */
export type UserRole = (typeof USER_ROLES)[number];

/** Someone who signs in to the web app. */
export interface User {
  id: string;
  /** Stored trimmed and lower-cased; unique. */
  email: string;
  name: string;
  role: UserRole;
  createdAt: Date;
  updatedAt: Date;
}

/** A user with the password hash, for sign-in only. */
export interface UserCredentials extends User {
  passwordHash: string;
}

/** Users of the web app. */
export interface UsersRepository {
  /** @throws {AlreadyExistsError} when a user has that e-mail. */
  create(input: {
    email: string;
    name: string;
    passwordHash: string;
    role: UserRole;
  }): Promise<User>;
  findByEmail(email: string): Promise<User | null>;
  /** The user and password hash, for checking a sign-in. */
  findCredentials(email: string): Promise<UserCredentials | null>;
  /** Every user, by e-mail. */
  list(): Promise<User[]>;
}

function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

function toCredentials(row: Omit<UserCredentials, "role"> & { role: string }): UserCredentials {
  return { ...row, role: oneOf(USER_ROLES, row.role, "user role") };
}

function toUser(row: Omit<User, "role"> & { role: string }): User {
  const { id, email, name, createdAt, updatedAt } = row;
  return { id, email, name, role: oneOf(USER_ROLES, row.role, "user role"), createdAt, updatedAt };
}

/** Creates the users repository over `prisma`. */
export function createUsersRepository(prisma: RingflowPrismaClient): UsersRepository {
  return {
    async create(input) {
      const row = await translatePrismaErrors(
        () => prisma.user.create({ data: { ...input, email: normaliseEmail(input.email) } }),
        { P2002: (cause) => new AlreadyExistsError("user", { cause }) },
      );
      return toUser(row);
    },

    async findByEmail(email) {
      const row = await prisma.user.findUnique({ where: { email: normaliseEmail(email) } });
      return row ? toUser(row) : null;
    },

    async findCredentials(email) {
      const row = await prisma.user.findUnique({ where: { email: normaliseEmail(email) } });
      return row ? toCredentials(row) : null;
    },

    async list() {
      const rows = await prisma.user.findMany({ orderBy: { email: "asc" } });
      return rows.map(toUser);
    },
  };
}
