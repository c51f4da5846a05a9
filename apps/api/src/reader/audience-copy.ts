import { Audience, AUDIENCES } from '@imprimatur/domain';
import { isAudience } from '@imprimatur/publishing';

/** What the reader page says to each audience (contract §13): the choice, the fallback and the disclaimer. */
interface AudienceCopy {
  /** The choice as "Which best describes you?" offers it. */
  label: string;
  /** "not yet available for …" */
  plural: string;
  /** schema.org MedicalAudience audienceType (MedicalAudienceType: Clinician; Patient, Caregiver as text). */
  audienceType: string;
  disclaimer: { lead: string; text: string };
}

const ADVICE = 'This information does not replace professional medical advice.';

export const AUDIENCE_COPY: Record<Audience, AudienceCopy> = {
  professional: {
    label: 'Healthcare professional',
    plural: 'healthcare professionals',
    audienceType: 'Clinician',
    disclaimer: {
      lead: 'For healthcare professionals: this information supports, and does not replace, clinical judgement.',
      text: "It summarises the guidelines and research reviewed by the Medical Advisory Board. Check doses and recommendations against current guidelines and product information, and apply them to each patient's circumstances.",
    },
  },
  patient: {
    label: 'Patient',
    plural: 'patients',
    audienceType: 'Patient',
    disclaimer: {
      lead: ADVICE,
      text: 'It is general information reviewed by medical professionals, not a diagnosis or a treatment plan for you. Talk to your doctor or another qualified health professional about your situation, and call your local emergency number in an emergency.',
    },
  },
  caregiver: {
    label: 'Caregiver',
    plural: 'caregivers',
    audienceType: 'Caregiver',
    disclaimer: {
      lead: ADVICE,
      text: 'It is general information reviewed by medical professionals, not a diagnosis or a treatment plan for the person you care for. Talk to their doctor or care team about their situation, and call your local emergency number in an emergency.',
    },
  },
};

/** The reader's choice is remembered for a year, for the reader pages only. */
export const AUDIENCE_COOKIE = 'audience';
const COOKIE_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

export const audienceCookie = (audience: Audience, secure: boolean) =>
  `${AUDIENCE_COOKIE}=${audience}; Path=/read; Max-Age=${COOKIE_MAX_AGE_SECONDS}; SameSite=Lax${secure ? '; Secure' : ''}`;

/** The `audience` cookie of a Cookie header, when it names an audience; anything else is as if unset. */
export function audienceFromCookie(header: string | undefined): Audience | null {
  for (const pair of (header ?? '').split(';')) {
    const [name, ...value] = pair.trim().split('=');
    if (name === AUDIENCE_COOKIE) {
      const audience = value.join('=').trim();
      return isAudience(audience) ? audience : null;
    }
  }
  return null;
}

/**
 * Who the page is for: `?audience=` (an unknown value is ignored: a person gets a page, not a 400),
 * else the remembered choice, else professionals (the article's own text). `remember` is set when the
 * query chose, so that the choice is kept for the next page.
 */
export function chosenAudience(
  query: unknown,
  cookieHeader: string | undefined,
): { audience: Audience; remember: boolean } {
  if (isAudience(query)) return { audience: query, remember: true };
  return { audience: audienceFromCookie(cookieHeader) ?? 'professional', remember: false };
}

export const AUDIENCE_CHOICES = AUDIENCES.map((audience) => ({ audience, label: AUDIENCE_COPY[audience].label }));
