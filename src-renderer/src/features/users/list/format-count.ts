const COUNT = new Intl.NumberFormat();

/**
 * A count as the person's locale writes it ("12,345"), as `toLocaleString()` does, from one formatter made
 * once: the list formats a dozen counts on every keystroke's answer.
 */
export const formatCount = (n: number): string => COUNT.format(n);
