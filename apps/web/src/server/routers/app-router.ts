import { createCallerFactory, createTRPCRouter } from "../trpc/init";
import { agentsRouter } from "./agents";
import { callbacksRouter } from "./callbacks";
import { callsRouter } from "./calls";
import { flowsRouter } from "./flows";
import { groupsRouter } from "./groups";
import { myAgentRouter } from "./my-agent";
import { queuesRouter } from "./queues";
import { routesRouter } from "./routes";
import { sessionRouter } from "./session";
import { testCallsRouter } from "./test-calls";
import { usersRouter } from "./users";
import { versionsRouter } from "./versions";
import { wallboardRouter } from "./wallboard";

/** The web app's API: one router per domain. */
export const appRouter = createTRPCRouter({
  session: sessionRouter,
  flows: flowsRouter,
  versions: versionsRouter,
  queues: queuesRouter,
  agents: agentsRouter,
  groups: groupsRouter,
  routes: routesRouter,
  calls: callsRouter,
  callbacks: callbacksRouter,
  users: usersRouter,
  testCalls: testCallsRouter,
  wallboard: wallboardRouter,
  myAgent: myAgentRouter,
});

/** The API's type, for the browser's client. */
export type AppRouter = typeof appRouter;

/** Calls the API in-process (server components, tests). */
export const createCaller = createCallerFactory(appRouter);
