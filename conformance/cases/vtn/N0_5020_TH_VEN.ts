import { vtnCase } from './scenarios/common.js';
import { bootstrap } from './scenarios/registration.js';

export default vtnCase({
  id: 'N0_5020_TH_VEN', delivery: 'push',
  title: 'VEN Registration - Bootstrap Sequence',
  requirement: 'Registration succeeds with a registrationID and the certificate\'s venID; the VTN then registers its own METADATA (oadrRegisterReport, reportRequestID 0) with the VEN, and the VEN\'s METADATA is answered with oadrRegisteredReport 200.',
  run: bootstrap,
});
