import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Contract §19: an article sent back with changes requested, revised and submitted again goes straight
 * to `under_review`, its board having started already. `review_resumes` remembers that it came back
 * that way: set when a new revision takes it from `changes_requested` to `draft`, cleared by the next
 * submission.
 */
export class ReviewResumes1765000001100 implements MigrationInterface {
  name = 'ReviewResumes1765000001100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE articles ADD COLUMN review_resumes boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE articles DROP COLUMN review_resumes`);
  }
}
