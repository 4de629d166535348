"use client";
import { inputClass } from "./field";
import { useUrlState } from "./use-url-state";

/** A select whose value lives in the URL (`param`), beside a DataTable. */
export function UrlSelectFilter({
  param,
  label,
  allLabel,
  options,
}: {
  param: string;
  label: string;
  allLabel: string;
  options: { value: string; label: string }[];
}) {
  const { params, update } = useUrlState();
  return (
    <label className="block w-full max-w-xs sm:w-56">
      <span className="sr-only">{label}</span>
      <select
        value={params.get(param) ?? ""}
        onChange={(e) => update({ [param]: e.target.value || null })}
        className={inputClass}
      >
        <option value="">{allLabel}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}
