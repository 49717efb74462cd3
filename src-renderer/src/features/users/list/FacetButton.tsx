import { formatCount } from './format-count';

interface FacetButtonProps {
  /** Test id suffix: `facet-<name>`. */
  name: string;
  label: string;
  count: number | undefined;
  pressed: boolean;
  onClick(): void;
  indent?: boolean;
}

/** A filter toggle with the number of users it would show ("Internal 1,234"). */
export function FacetButton({ name, label, count, pressed, onClick, indent }: FacetButtonProps) {
  return (
    <button
      type="button"
      className={indent ? 'facet facet--indent' : 'facet'}
      aria-pressed={pressed}
      data-testid={`facet-${name}`}
      data-count={count ?? ''}
      onClick={onClick}
    >
      <span className="facet__label">{label}</span>
      <span className="facet__count">{count === undefined ? '…' : formatCount(count)}</span>
    </button>
  );
}
