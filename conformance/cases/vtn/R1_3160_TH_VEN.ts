import { vtnCase } from './scenarios/common.js';
import { telemetryPeriodic } from './scenarios/reports.js';

export default vtnCase({
  id: 'R1_3160_TH_VEN', delivery: 'pull', needs: ['requestReports'],
  title: 'VEN Reporting - Telemetry Usage, Periodic',
  requirement: 'A periodic TELEMETRY_USAGE request (1 min samples, every 2 min over 10 min) reaches the VEN; two reports are accepted.',
  run: telemetryPeriodic,
});
