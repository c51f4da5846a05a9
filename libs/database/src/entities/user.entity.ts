import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  email: string;

  @Column('text')
  name: string;

  @Column('text', { name: 'password_hash' })
  passwordHash: string;

  @Column('text', { array: true })
  roles: string[];

  @Column('text', { nullable: true })
  credentials: string | null;

  @Column('text', { array: true, default: () => `'{}'` })
  specialties: string[];

  @Column('boolean', { default: true })
  active: boolean;

  /** Carried in every access token; raising it revokes all tokens issued before. */
  @Column('integer', { name: 'token_version', default: 0 })
  tokenVersion: number;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt: Date;
}
