import { appRoleUrl, derivedPassword } from './app-role';

describe("the application role's connection", () => {
  it("keeps DATABASE_URL's server, database and options and signs in as the role", () => {
    const url = new URL(
      appRoleUrl('postgres://postgres@db.internal:6543/imprimatur?sslmode=require', 'imprimatur_app'),
    );
    expect([url.username, url.password, url.host, url.pathname, url.search]).toEqual([
      'imprimatur_app',
      '',
      'db.internal:6543',
      '/imprimatur',
      '?sslmode=require',
    ]);
  });

  it("derives the role's password from the owner's, the same in every process and different per role", () => {
    const owner = 'postgres://owner:s%40cret@127.0.0.1:5432/imprimatur';
    const password = derivedPassword(owner, 'imprimatur_app');
    expect(password).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(derivedPassword(owner, 'imprimatur_app')).toBe(password);
    expect(derivedPassword(owner, 'other_app')).not.toBe(password);
    expect(derivedPassword('postgres://owner:other@127.0.0.1:5432/imprimatur', 'imprimatur_app')).not.toBe(password);
    expect(new URL(appRoleUrl(owner, 'imprimatur_app')).password).toBe(password);
    expect(password).not.toContain('s@cret');
  });

  it('has no password when the owner signs in without one (trust, peer, certificates)', () => {
    expect(derivedPassword('postgres://postgres@127.0.0.1:5432/imprimatur', 'imprimatur_app')).toBeNull();
  });
});
