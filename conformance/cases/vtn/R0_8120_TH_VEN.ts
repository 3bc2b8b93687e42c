import { vtnCase } from './scenarios/common.js';
import { vtnPiggyBack } from './scenarios/reports.js';

export default vtnCase({
  id: 'R0_8120_TH_VEN', delivery: 'push',
  title: 'VTN Reporting - piggy back request',
  requirement: 'The VEN asks for one of the VTN\'s reports in its oadrRegisteredReport; the report arrives.',
  run: vtnPiggyBack,
});
