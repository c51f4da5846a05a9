const OUTBOX_JOB_ID = /^outbox-(\d{1,19})$/;

/**
 * The outbox id behind a BullMQ job id (`outbox-<id>`, see `outboxJobId`), or null for a job that did
 * not come through the outbox. For an event it is the event's id; for a delivery job, the reference
 * that says whether the job still owns the delivery's next attempt.
 */
export function outboxIdOfJob(jobId: string | undefined): string | null {
  const match = jobId === undefined ? null : OUTBOX_JOB_ID.exec(jobId);
  return match ? match[1] : null;
}
