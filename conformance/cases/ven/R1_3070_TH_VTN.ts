import { venCase } from './scenarios/common.js';
import { vtnReporting } from './scenarios/reports.js';

export default venCase({
  id: 'R1_3070_TH_VTN', delivery: 'pull',
  title: 'VTN Reporting - One Shot Report',
  requirement: 'The VEN asks for a one-shot report the VTN offered (VTN reporting, optional for a VEN).',
  run: vtnReporting,
});
