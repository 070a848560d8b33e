import { useState, type ComponentType } from 'react';
import { LabContext } from '../ui/common/lab-context.ts';
import { PanelBoundary } from '../ui/common/PanelBoundary.tsx';
import { Header } from '../ui/Header/Header.tsx';
import { Messages } from '../ui/Messages/Messages.tsx';
import { OtherTabBanner } from '../ui/OtherTab/OtherTabBanner.tsx';
import { DatasetPanel } from '../ui/Dataset/DatasetPanel.tsx';
import { ModelPanel } from '../ui/Model/ModelPanel.tsx';
import { RegimePanel } from '../ui/Regime/RegimePanel.tsx';
import { LrFinderPanel } from '../ui/LrFinder/LrFinderPanel.tsx';
import { TrainingPanel } from '../ui/Training/TrainingPanel.tsx';
import { BlockMovementPanel } from '../ui/BlockMovement/BlockMovementPanel.tsx';
import { ChartsPanel } from '../ui/Charts/ChartsPanel.tsx';
import { ComparisonPanel } from '../ui/Comparison/ComparisonPanel.tsx';
import { EvaluationPanel } from '../ui/Evaluation/EvaluationPanel.tsx';
import { TopLossesPanel } from '../ui/TopLosses/TopLossesPanel.tsx';
import { TryItPanel } from '../ui/TryIt/TryItPanel.tsx';
import { ExportPanel } from '../ui/Export/ExportPanel.tsx';
import { StoragePanel } from '../ui/Storage/StoragePanel.tsx';
import { startLab } from './start-lab.ts';
import styles from './App.module.css';
import './theme.css';

const panel = (name: string, Panel: ComponentType) => (
  <PanelBoundary key={name} name={name}>
    <Panel />
  </PanelBoundary>
);

/** The layout: setup on the left (data, model, regime), training and results on the right. */
export function App() {
  const [lab] = useState(startLab);
  return (
    <LabContext.Provider value={lab}>
      <Header />
      <OtherTabBanner />
      <Messages />
      <main className={styles.columns}>
        <div className={styles.setup}>
          {panel('dataset', DatasetPanel)}
          {panel('model', ModelPanel)}
          {panel('regime', RegimePanel)}
          {panel('lr finder', LrFinderPanel)}
          {panel('storage', StoragePanel)}
        </div>
        <div className={styles.results}>
          {panel('training', TrainingPanel)}
          {panel('curves', ChartsPanel)}
          {panel('runs', ComparisonPanel)}
          {panel('block movement', BlockMovementPanel)}
          {panel('evaluation', EvaluationPanel)}
          {panel('top losses', TopLossesPanel)}
          <div className={styles.pair}>
            {panel('try it', TryItPanel)}
            {panel('export', ExportPanel)}
          </div>
        </div>
      </main>
    </LabContext.Provider>
  );
}
