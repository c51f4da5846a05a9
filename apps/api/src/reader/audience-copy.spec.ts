import { audienceCookie, audienceFromCookie, chosenAudience } from './audience-copy';

describe("the reader's audience", () => {
  it('is chosen by ?audience= (and then remembered), else by the cookie, else professional', () => {
    expect(chosenAudience('patient', 'audience=caregiver')).toEqual({ audience: 'patient', remember: true });
    expect(chosenAudience(undefined, 'theme=dark; audience=caregiver')).toEqual({
      audience: 'caregiver',
      remember: false,
    });
    expect(chosenAudience(undefined, undefined)).toEqual({ audience: 'professional', remember: false });
  });

  it('ignores what names no audience, in the query or the cookie', () => {
    expect(chosenAudience('bogus', 'audience=patient')).toEqual({ audience: 'patient', remember: false });
    expect(chosenAudience(['patient', 'caregiver'], undefined)).toEqual({ audience: 'professional', remember: false });
    expect(audienceFromCookie('audience=Patient')).toBeNull();
    expect(audienceFromCookie('audience=')).toBeNull();
    expect(audienceFromCookie('myaudience=patient')).toBeNull();
    expect(audienceFromCookie('theme=dark;audience=patient')).toBe('patient');
  });

  it('is kept in a cookie for the reader pages, for a year, not sent cross-site', () => {
    expect(audienceCookie('patient', false)).toBe('audience=patient; Path=/read; Max-Age=31536000; SameSite=Lax');
    expect(audienceCookie('caregiver', true)).toBe(
      'audience=caregiver; Path=/read; Max-Age=31536000; SameSite=Lax; Secure',
    );
  });
});
