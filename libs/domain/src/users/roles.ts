export const ROLES = ['editor', 'reviewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (value: unknown): value is Role =>
  typeof value === 'string' && (ROLES as readonly string[]).includes(value);

export interface User {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  credentials: string | null;
  specialties: string[];
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** A signed-in user as services see them. */
export interface Principal {
  id: string;
  email: string;
  roles: Role[];
}

/** Emails are compared case-insensitively and stored trimmed and lower-cased. */
export const normaliseEmail = (email: string): string => email.trim().toLowerCase();
