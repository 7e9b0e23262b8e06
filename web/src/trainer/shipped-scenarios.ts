// The example scenarios shipped in scenarios/*.json, bundled into the trainer console by Vite at build time,
// so a trainer can load one without a file at hand. A glob rather than imports: the console builds (with
// none to offer) even where the folder is empty, and the scenarios stay data, outside the rooms of code.
declare global {
  interface ImportMeta {
    glob<T>(pattern: string, options: { eager: true; import: 'default' }): Record<string, T>;
  }
}

export interface ShippedScenario {
  /** The file name, e.g. "incident-at-sea.json". */
  file: string;
  /** The title inside it, when it has one. */
  title: string;
  value: unknown;
}

function titleOf(value: unknown, file: string): string {
  const title = (value as { title?: unknown } | null)?.title;
  return typeof title === 'string' && title.length > 0 ? title : file;
}

export const SHIPPED_SCENARIOS: readonly ShippedScenario[] = Object.entries(
  import.meta.glob<unknown>('../../../scenarios/*.json', { eager: true, import: 'default' }),
)
  .map(([path, value]) => {
    const file = path.slice(path.lastIndexOf('/') + 1);
    return { file, title: titleOf(value, file), value };
  })
  .sort((a, b) => a.file.localeCompare(b.file));
