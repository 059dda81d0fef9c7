import { connect } from "node:net";
import type { FreeswitchAddress } from "./config.js";

/** A check before starting failed: `message` is one line saying what and how to fix it. */
export class PreflightError extends Error {
  override readonly name = "PreflightError";
}

const TIMEOUT_MS = 4_000;

/**
 * Logs in to FreeSWITCH's Event Socket once, as the worker will: refuses
 * with one clear line when it cannot be reached or refuses the password.
 */
export function checkFreeswitch(address: FreeswitchAddress): Promise<void> {
  const where = `${address.host}:${address.port}`;
  return new Promise((resolve, reject) => {
    const socket = connect({ host: address.host, port: address.port });
    let buffer = "";
    let sentAuth = false;
    const fail = (message: string) => {
      socket.destroy();
      reject(new PreflightError(message));
    };
    const timer = setTimeout(
      () =>
        fail(
          `FreeSWITCH's Event Socket at ${where} did not answer within ${TIMEOUT_MS / 1000} s: is it running, and is ${where} its event_socket.conf.xml listen-ip/listen-port?`,
        ),
      TIMEOUT_MS,
    );
    socket.setEncoding("utf8");
    socket.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      fail(
        error.code === "ECONNREFUSED"
          ? `Nothing listens at ${where} (connection refused): start FreeSWITCH with mod_event_socket, or fix FREESWITCH_ESL_URL`
          : error.code === "ENOTFOUND"
            ? `The host "${address.host}" in FREESWITCH_ESL_URL does not resolve`
            : `Cannot reach FreeSWITCH's Event Socket at ${where}: ${error.message}`,
      );
    });
    socket.on("data", (chunk: string) => {
      buffer += chunk;
      if (!sentAuth && buffer.includes("Content-Type: auth/request")) {
        sentAuth = true;
        buffer = "";
        socket.write(`auth ${address.password}\n\n`);
        return;
      }
      if (sentAuth && buffer.includes("Reply-Text:")) {
        clearTimeout(timer);
        if (buffer.includes("+OK")) {
          socket.end("exit\n\n");
          resolve();
        } else {
          fail(
            `FreeSWITCH at ${where} refused the password: set the one in event_socket.conf.xml in FREESWITCH_ESL_URL (esl://:PASSWORD@${where})`,
          );
        }
      } else if (!sentAuth && buffer.length > 0 && !buffer.startsWith("Content-Type")) {
        clearTimeout(timer);
        fail(
          `${where} answered, but not as FreeSWITCH's Event Socket does: is that the right port?`,
        );
      }
    });
  });
}

/** Checks a port is free to listen on, for a clear message instead of EADDRINUSE later. */
export function checkPortFree(port: number, what: string, variable: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      reject(
        new PreflightError(
          `Port ${port} (${what}) is taken by another program: stop it, or set ${variable} to another port`,
        ),
      );
    });
    socket.once("error", () => resolve());
  });
}
