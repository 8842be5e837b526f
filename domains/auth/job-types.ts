/** The auth domain's background jobs, each with the payload it is queued with; handled in jobs.server.ts. */
declare module '#shared/jobs' {
  interface Jobs {
    /** Mails a reset link to the account of `email`, if there is one (nothing otherwise). */
    'send-password-reset': { email: string; requestedAt: number }
  }
}

export {}
