import { useState } from 'react';
import { LabContext } from '../ui/common/lab-context.ts';
import { Header } from '../ui/Header/Header.tsx';
import { Messages } from '../ui/Messages/Messages.tsx';
import { DatasetPanel } from '../ui/Dataset/DatasetPanel.tsx';
import { ModelPanel } from '../ui/Model/ModelPanel.tsx';
import { RegimePanel } from '../ui/Regime/RegimePanel.tsx';
import { TrainingPanel } from '../ui/Training/TrainingPanel.tsx';
import { ChartsPanel } from '../ui/Charts/ChartsPanel.tsx';
import { ComparisonPanel } from '../ui/Comparison/ComparisonPanel.tsx';
import { EvaluationPanel } from '../ui/Evaluation/EvaluationPanel.tsx';
import { TryItPanel } from '../ui/TryIt/TryItPanel.tsx';
import { ExportPanel } from '../ui/Export/ExportPanel.tsx';
import { startLab } from './start-lab.ts';
import styles from './App.module.css';
import './theme.css';

/** The layout: setup on the left (data, model, regime), training and results on the right. */
export function App() {
  const [lab] = useState(startLab);
  return (
    <LabContext.Provider value={lab}>
      <Header />
      <Messages />
      <main className={styles.columns}>
        <div className={styles.setup}>
          <DatasetPanel />
          <ModelPanel />
          <RegimePanel />
        </div>
        <div className={styles.results}>
          <TrainingPanel />
          <ChartsPanel />
          <ComparisonPanel />
          <EvaluationPanel />
          <div className={styles.pair}>
            <TryItPanel />
            <ExportPanel />
          </div>
        </div>
      </main>
    </LabContext.Provider>
  );
}
