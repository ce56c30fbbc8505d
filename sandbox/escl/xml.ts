/** The eSCL documents the sandbox scanner serves: ScannerCapabilities, ScannerStatus, and their spoiled forms. */
import type { SandboxFaults, SandboxScannerOptions } from './options.js';

export const NS = 'xmlns:scan="http://schemas.hp.com/imaging/escl/2011/05/03" xmlns:pwg="http://www.pwg.org/schemas/2010/12/sm"';
export const MAX_W = 2550; // 8.5 in
export const MAX_H = 3508; // 297 mm

/** What ScannerStatus lists of a job. */
export interface EsclJobInfo {
  id: string;
  delivered: number;
  state: string;
  reason: string;
}

export function capabilitiesXml(o: SandboxScannerOptions, adminUri: string): string {
  const formats = o.formats ?? ['image/jpeg', 'application/pdf', 'image/png'];
  const res = o.resolutions ?? [75, 100, 150, 200, 300, 600];
  const profile = `<scan:SettingProfiles><scan:SettingProfile>
<scan:ColorModes><scan:ColorMode>BlackAndWhite1</scan:ColorMode><scan:ColorMode>Grayscale8</scan:ColorMode><scan:ColorMode>RGB24</scan:ColorMode></scan:ColorModes>
<scan:ContentTypes><pwg:ContentType>Photo</pwg:ContentType><pwg:ContentType>Text</pwg:ContentType><pwg:ContentType>TextAndPhoto</pwg:ContentType></scan:ContentTypes>
<scan:DocumentFormats>${formats.map((f) => `<pwg:DocumentFormat>${f}</pwg:DocumentFormat>`).join('')}${formats.map((f) => `<scan:DocumentFormatExt>${f}</scan:DocumentFormatExt>`).join('')}</scan:DocumentFormats>
<scan:SupportedResolutions><scan:DiscreteResolutions>${res.map((r) => `<scan:DiscreteResolution><scan:XResolution>${r}</scan:XResolution><scan:YResolution>${r}</scan:YResolution></scan:DiscreteResolution>`).join('')}</scan:DiscreteResolutions></scan:SupportedResolutions>
<scan:ColorSpaces><scan:ColorSpace>RGB</scan:ColorSpace></scan:ColorSpaces>
</scan:SettingProfile></scan:SettingProfiles>`;
  const input = (tag: string) => `<scan:${tag}><scan:MinWidth>16</scan:MinWidth><scan:MaxWidth>${MAX_W}</scan:MaxWidth><scan:MinHeight>16</scan:MinHeight><scan:MaxHeight>${MAX_H}</scan:MaxHeight><scan:MaxScanRegions>1</scan:MaxScanRegions>${profile}<scan:SupportedIntents><scan:Intent>Document</scan:Intent><scan:Intent>TextAndGraphic</scan:Intent><scan:Intent>Photo</scan:Intent></scan:SupportedIntents><scan:MaxOpticalXResolution>600</scan:MaxOpticalXResolution><scan:MaxOpticalYResolution>600</scan:MaxOpticalYResolution><scan:RiskyLeftMargin>0</scan:RiskyLeftMargin><scan:RiskyRightMargin>0</scan:RiskyRightMargin><scan:RiskyTopMargin>0</scan:RiskyTopMargin><scan:RiskyBottomMargin>0</scan:RiskyBottomMargin></scan:${tag}>`;
  const adf = o.adf === false ? '' : `<scan:Adf>${input('AdfSimplexInputCaps')}${o.duplex === false ? '' : input('AdfDuplexInputCaps')}<scan:FeederCapacity>50</scan:FeederCapacity><scan:AdfOptions><scan:AdfOption>DetectPaperLoaded</scan:AdfOption>${o.duplex === false ? '' : '<scan:AdfOption>Duplex</scan:AdfOption>'}</scan:AdfOptions></scan:Adf>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<scan:ScannerCapabilities ${NS}>
<pwg:Version>2.63</pwg:Version>
<pwg:MakeAndModel>${o.makeAndModel ?? 'Qabyldau Sandbox eSCL'}</pwg:MakeAndModel>
<pwg:SerialNumber>SBX0001</pwg:SerialNumber>
<scan:UUID>4509a320-00a0-008f-00b6-002507510eca</scan:UUID>
<scan:AdminURI>${adminUri}/</scan:AdminURI>
<scan:Platen>${input('PlatenInputCaps')}</scan:Platen>
${adf}
</scan:ScannerCapabilities>
`;
}

export function statusXml(list: EsclJobInfo[], adfState: string | null): string {
  const busy = list.some((j) => j.state === 'Processing');
  const jobs = list
    .map(
      (j) => `<scan:JobInfo><pwg:JobUri>/eSCL/ScanJobs/${j.id}</pwg:JobUri><pwg:JobUuid>${j.id}</pwg:JobUuid><scan:Age>1</scan:Age><pwg:ImagesCompleted>${j.delivered}</pwg:ImagesCompleted><pwg:ImagesToTransfer>${j.state === 'Processing' ? 1 : 0}</pwg:ImagesToTransfer><pwg:JobState>${j.state}</pwg:JobState><pwg:JobStateReasons><pwg:JobStateReason>${j.reason}</pwg:JobStateReason></pwg:JobStateReasons></scan:JobInfo>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<scan:ScannerStatus ${NS}>
<pwg:Version>2.63</pwg:Version>
<pwg:State>${busy ? 'Processing' : 'Idle'}</pwg:State>
${adfState === null ? '' : `<scan:AdfState>${adfState}</scan:AdfState>`}
<scan:Jobs>${jobs}</scan:Jobs>
</scan:ScannerStatus>
`;
}

/** The document as a faulty or hostile scanner sends it: an XML bomb, or XML cut off mid-tag. */
export function spoiledXml(body: string, which: 'capabilities' | 'status', faults: SandboxFaults): string {
  if (faults.xmlBomb === which) {
    return `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lollollollollollollollollollol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;"><!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;"><!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;"><!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;"><!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;"><!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<scan:ScannerStatus ${NS}><pwg:State>&lol9;</pwg:State></scan:ScannerStatus>`;
  }
  if (faults.malformed === which) return body.slice(0, Math.floor(body.length / 2)) + '<scan:Broken attr=></';
  return body;
}
