import { createTheme, DEFAULT_THEME, Modal, type CSSVariablesResolver, type MantineColorsTuple } from '@mantine/core';

/** Mantine's palette with its darkest shades darkened where white text on them, or their text on tints, fell below 4.5:1. */
function darker(name: keyof typeof DEFAULT_THEME.colors, shade8: string, shade9: string): MantineColorsTuple {
  const base = [...DEFAULT_THEME.colors[name]];
  base[8] = shade8;
  base[9] = shade9;
  return base as unknown as MantineColorsTuple;
}

/**
 * WCAG 2.2 AA contrast: filled buttons and badges use shade 8 (white text ≥ 4.5:1), light badges and
 * alerts use shade 9 text on shade 1 (≥ 4.5:1), and "dimmed" text and field errors are darker.
 */
export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: { light: 8, dark: 6 },
  defaultRadius: 'sm',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  headings: { fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif' },
  colors: {
    green: darker('green', '#237032', '#1b5e27'),
    orange: darker('orange', '#b34700', '#8f3900'),
    red: darker('red', '#c92a2a', '#a51e1e'),
    teal: darker('teal', '#0b7556', '#07604a'),
    yellow: darker('yellow', '#8a5300', '#6e4200'),
    cyan: darker('cyan', '#0b6b7d', '#095c6b'),
  },
  components: {
    // Mantine's modal close button is an icon without a name (axe: button-name).
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
  },
});

export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    // Field errors and invalid inputs: Mantine's red 6 is 3.3:1 on white; red 8 is above 4.5:1.
    '--mantine-color-error': 'var(--mantine-color-red-8)',
  },
  dark: {},
});
