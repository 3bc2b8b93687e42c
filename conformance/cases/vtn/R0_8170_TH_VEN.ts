import { vtnCase } from './scenarios/common.js';
import { metadataRequest } from './scenarios/reports.js';

export default vtnCase({
  id: 'R0_8170_TH_VEN', delivery: 'push', needs: ['requestReports'],
  title: 'VEN Reporting - Metadata Report Request',
  requirement: 'The VTN asks for the VEN\'s METADATA (reportSpecifierID METADATA); the VEN\'s new oadrRegisterReport is answered 200.',
  run: metadataRequest,
});
