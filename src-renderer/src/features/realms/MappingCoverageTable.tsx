import { coverageText, type MappingCoverage } from '#shared/model/connection-test';

/** The mapping applied to the sampled users: per field, which attribute gave the value to how many; warnings marked. */
export function MappingCoverageTable({ coverage }: { coverage: MappingCoverage }) {
  const sample = `${coverage.more ? 'the first ' : ''}${coverage.sampled.toLocaleString()} user${coverage.sampled === 1 ? '' : 's'}`;
  return (
    <table className="coverage" data-testid="mapping-coverage">
      <caption className="coverage__caption">Attribute mapping over {sample}</caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Where the values come from</th>
        </tr>
      </thead>
      <tbody>
        {coverage.fields.map((field) => (
          <tr
            key={field.field}
            className={field.warning ? 'coverage__row coverage__row--warning' : 'coverage__row'}
            data-testid={`coverage-${field.field}`}
            data-warning={field.warning ? 'true' : 'false'}
            title={field.warning}
          >
            <th scope="row">
              {field.warning && (
                <span className="coverage__mark" aria-hidden="true">
                  ⚠{' '}
                </span>
              )}
              {field.label}
              {field.required && <span className="coverage__required"> (required)</span>}
              {field.warning && <span className="visually-hidden">: needs attention</span>}
            </th>
            <td>{coverageText(field, coverage.sampled)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
