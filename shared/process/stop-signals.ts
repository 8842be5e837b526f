/**
 * The signals that stop a server gracefully (its answers in progress finished): SIGTERM (systemd,
 * Kubernetes, the cluster's primary), SIGINT (Ctrl-C), and SIGHUP (the terminal it ran in closed,
 * an ssh session ended), whose Node default is to exit at once; nothing here reloads on it.
 */
export const STOP_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const
