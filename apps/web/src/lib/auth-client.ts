"use client";

import { adminClient } from "better-auth/client/plugins";
import { createAuthClient } from "better-auth/react";

/** Sign-in and sign-out from the browser (same origin as the app). */
export const authClient = createAuthClient({ plugins: [adminClient()] });
