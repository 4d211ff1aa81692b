/** An error shown next to what caused it, announced to screen readers as it appears. */
export function ErrorNote({ text, id }: { text: string | null; id?: string }) {
  if (!text) return null;
  return (
    <p className="error-note" role="alert" id={id}>
      {text}
    </p>
  );
}
