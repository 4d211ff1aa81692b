import { Component, type ErrorInfo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export type PaneName = 'timeline' | 'tasks' | 'comms';

/**
 * One pane's render error stays in that pane: the rest of the console keeps working mid-incident,
 * and the failed pane offers to draw itself again (a fresh mount, so its local state starts over).
 */
export class PaneBoundary extends Component<{ name: PaneName; children: ReactNode }, { error: Error | null; generation: number }> {
  override state = { error: null as Error | null, generation: 0 };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(`The ${this.props.name} pane failed to render:`, error, info.componentStack);
  }

  private readonly reload = () => this.setState((state) => ({ error: null, generation: state.generation + 1 }));

  override render() {
    if (this.state.error) return <PaneFailed name={this.props.name} message={this.state.error.message} onReload={this.reload} />;
    return <PaneGeneration key={this.state.generation}>{this.props.children}</PaneGeneration>;
  }
}

function PaneGeneration({ children }: { children: ReactNode }) {
  return <>{children}</>;
}

function PaneFailed({ name, message, onReload }: { name: PaneName; message: string; onReload: () => void }) {
  const { t } = useTranslation();
  return (
    <section className="pane pane-failed" data-testid={`pane-failed-${name}`} aria-label={t(`app.pane.${name}`)}>
      <p className="error-note" role="alert">
        {t('app.paneFailed', { pane: t(`app.pane.${name}`), message })}
      </p>
      <button type="button" className="primary" onClick={onReload}>
        {t('app.paneReload')}
      </button>
    </section>
  );
}
