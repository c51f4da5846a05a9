/**
 * Drug names for the change classifier (contract §15): a curated list of common generic names, written out
 * from general knowledge of the WHO International Nonproprietary Names (INN, public domain) with the usual
 * British and US variants (paracetamol/acetaminophen, adrenaline/epinephrine, ciclosporin/cyclosporine),
 * and the WHO INN stems ("The use of stems in the selection of INN", WHO) that name a drug class, so that a
 * new drug of a known class (`-mab`, `-tinib`, `-gliflozin` …) is recognised without being listed.
 * Lower case, one word each: a multi-word name (`isosorbide mononitrate`) is found word by word.
 */
const NAMES = `
abacavir abaloparatide abatacept abciximab abemaciclib abiraterone acamprosate acarbose acebutolol aceclofenac
acenocoumarol acetaminophen acetazolamide acetylcysteine aciclovir acitretin aclidinium acyclovir adagrasib
adalimumab adapalene adefovir adenosine adrenaline aducanumab afatinib aflibercept agomelatine albendazole
albumin albuterol alclometasone aldesleukin alectinib alemtuzumab alendronate alfentanil alfuzosin alirocumab
aliskiren allopurinol almotriptan alogliptin alosetron alpelisib alprazolam alprostadil alteplase aluminium
amantadine ambrisentan amikacin amiloride aminophylline amiodarone amisulpride amitriptyline amlodipine
amoxicillin amphetamine amphotericin ampicillin anakinra anastrozole andexanet anidulafungin apixaban apomorphine
apremilast aprepitant argatroban aripiprazole armodafinil arsenic artemether artesunate ascorbic aspart aspirin
atazanavir atenolol atezolizumab atogepant atomoxetine atorvastatin atovaquone atracurium atropine avapritinib
avelumab avibactam axicabtagene azacitidine azathioprine azelastine azilsartan azithromycin aztreonam baclofen
baloxavir balsalazide baricitinib basiliximab bazedoxifene beclometasone beclomethasone bedaquiline belimumab
bempedoic benazepril bendamustine bendroflumethiazide benralizumab benzathine benzylpenicillin betahistine
betamethasone bethanechol bevacizumab bezafibrate bicalutamide bictegravir bisacodyl bisoprolol bivalirudin
bleomycin blinatumomab bortezomib bosentan brentuximab brexanolone brexpiprazole brimonidine brivaracetam
bromocriptine budesonide bumetanide bupivacaine buprenorphine bupropion buspirone busulfan cabazitaxel cabergoline
cabozantinib caffeine calcitonin calcitriol calcium canagliflozin candesartan cangrelor cannabidiol capecitabine
capivasertib captopril carbamazepine carbidopa carbimazole carboplatin carfilzomib carmustine carvedilol
caspofungin cefaclor cefadroxil cefalexin cefazolin cefepime cefiderocol cefixime cefotaxime cefoxitin
cefpodoxime ceftaroline ceftazidime ceftolozane ceftriaxone cefuroxime celecoxib cemiplimab cephalexin
certolizumab cetirizine cetuximab chlorambucil chloramphenicol chlordiazepoxide chlorhexidine chloroquine
chlorphenamine chlorpheniramine chlorpromazine chlortalidone chlorthalidone ciclosporin cilastatin cilostazol
ciltacabtagene cimetidine cinacalcet ciprofloxacin cisatracurium cisplatin citalopram cladribine clarithromycin
clavulanate clemastine clindamycin clobazam clobetasol clofazimine clomifene clomiphene clomipramine clonazepam
clonidine clopidogrel clotrimazole cloxacillin clozapine codeine colchicine colecalciferol colestyramine colistin
cyclizine cyclophosphamide cycloserine cyclosporine cyproheptadine cyproterone cytarabine dabigatran dabrafenib
dacarbazine daclatasvir dactinomycin dalbavancin dalteparin dantrolene dapagliflozin dapsone daptomycin
daratumumab darbepoetin daridorexant darifenacin darunavir dasatinib daunorubicin decitabine deferasirox
deferoxamine deflazacort degarelix degludec delamanid denosumab desferrioxamine desloratadine desmopressin
desogestrel desvenlafaxine detemir dexamethasone dexamfetamine dexmedetomidine dextroamphetamine dextromethorphan
diamorphine diazepam diclofenac dicloxacillin didanosine dienogest digoxin dihydrocodeine diltiazem dimenhydrinate
dinitrate diphenhydramine dipyridamole diroximel disulfiram dobutamine docetaxel docusate dolutegravir domperidone
donanemab donepezil dopamine doripenem dornase dorzolamide dostarlimab doxazosin doxepin doxorubicin doxycycline
doxylamine dronedarone droperidol dulaglutide duloxetine dupilumab durvalumab dutasteride edoxaban efavirenz
elacestrant eletriptan elranatamab emicizumab empagliflozin emtricitabine enalapril enfortumab enoxaparin
entacapone entecavir entrectinib enzalutamide epcoritamab ephedrine epinephrine epirubicin eplerenone epoetin
eprosartan eptifibatide eptinezumab eravacycline erenumab ergocalciferol eribulin erlotinib ertapenem ertugliflozin
erythromycin escitalopram esketamine esmolol esomeprazole estradiol estrogens eszopiclone etanercept ethambutol
ethinylestradiol ethionamide ethosuximide etomidate etonogestrel etoposide etoricoxib everolimus evolocumab
exemestane exenatide ezetimibe famciclovir famotidine febuxostat felodipine fenofibrate fentanyl ferrous
fesoterodine fexofenadine fidaxomicin filgrastim finasteride finerenone fingolimod flecainide flucloxacillin
fluconazole flucytosine fludarabine fludrocortisone flumazenil fluorouracil fluoxetine flupentixol fluphenazine
flurbiprofen flutamide fluticasone fluvastatin fluvoxamine folic fondaparinux formoterol fosaprepitant fosfomycin
fosinopril fosphenytoin fremanezumab fulvestrant furosemide gabapentin galantamine galcanezumab ganciclovir
gemcitabine gemfibrozil gemtuzumab gentamicin glargine glecaprevir glibenclamide gliclazide glimepiride glipizide
glofitamab glucagon glulisine glyburide glyceryl glycopyrrolate glycopyrronium golimumab goserelin granisetron
griseofulvin guanfacine guselkumab haloperidol heparin hydralazine hydrochlorothiazide hydrocodone hydrocortisone
hydromorphone hydroxocobalamin hydroxycarbamide hydroxychloroquine hydroxyurea hydroxyzine hyoscine ibandronate
ibrexafungerp ibrutinib ibuprofen icosapent idarubicin idarucizumab idecabtagene ifosfamide iloprost imatinib
imipenem imipramine imiquimod inclisiran indacaterol indapamide indinavir indometacin indomethacin infliximab
inotuzumab insulin interferon ipilimumab ipratropium irbesartan irinotecan iron isavuconazole isoniazid isophane
isoprenaline isosorbide isotretinoin itraconazole ivabradine ivermectin ixekizumab ketamine ketoconazole ketoprofen
ketorolac labetalol lacidipine lacosamide lactulose lamivudine lamotrigine lanreotide lansoprazole lapatinib
larotrectinib lasmiditan latanoprost lecanemab ledipasvir leflunomide lemborexant lenalidomide lenvatinib
lercanidipine letermovir letrozole leucovorin leuprolide leuprorelin levetiracetam levocetirizine levodopa
levofloxacin levomepromazine levonorgestrel levosimendan levothyroxine lidocaine lignocaine linaclotide
linagliptin linezolid liothyronine liraglutide lisdexamfetamine lisinopril lispro lithium lixisenatide
loperamide lopinavir loratadine lorazepam lorlatinib losartan lovastatin loxapine lurasidone macitentan
macrogol magnesium mannitol maraviroc maribavir mebendazole mebeverine mecillinam meclizine medroxyprogesterone
mefenamic mefloquine megestrol melatonin meloxicam melphalan memantine mepolizumab mercaptopurine meropenem
mesalamine mesalazine mesna metaraminol metformin methadone methamphetamine methimazole methotrexate methyldopa
methylphenidate methylprednisolone metoclopramide metolazone metoprolol metronidazole micafungin miconazole
midazolam midodrine mifepristone milrinone minocycline minoxidil mirabegron mirtazapine misoprostol mitomycin
mitoxantrone modafinil molnupiravir mometasone mononitrate montelukast morphine mosunetuzumab moxifloxacin
moxonidine mupirocin mycophenolate nabilone nadolol nafcillin nalmefene naloxone naltrexone naproxen naratriptan
natalizumab nateglinide nebivolol nefopam neomycin neostigmine neratinib netupitant nevirapine niacin nicardipine
nicorandil nicotine nifedipine nilotinib nimodipine nintedanib nirmatrelvir nitrazepam nitrofurantoin nitroglycerin
nitroprusside nivolumab nizatidine noradrenaline norepinephrine norethisterone nortriptyline nystatin obeticholic
obinutuzumab ocrelizumab octreotide ofatumumab ofloxacin olanzapine olaparib olaratumab olmesartan olodaterol
olsalazine omadacycline omalizumab omeprazole ondansetron oritavancin orlistat oseltamivir osimertinib ospemifene
oxacillin oxaliplatin oxazepam oxcarbazepine oxybate oxybutynin oxycodone oxygen oxytocin ozanimod paclitaxel
palbociclib paliperidone palonosetron pamidronate pancuronium panitumumab pantoprazole paracetamol paroxetine
pazopanib pegfilgrastim peginterferon pembrolizumab pemetrexed penicillamine penicillin pentamidine peramivir
perampanel perindopril pertuzumab pethidine phenelzine phenindione phenobarbital phenoxymethylpenicillin
phentolamine phenylephrine phenytoin phytomenadione pilocarpine pimecrolimus pioglitazone piperacillin piroxicam
pitavastatin pitolisant pivmecillinam pizotifen plazomicin polatuzumab ponesimod posaconazole potassium pralsetinib
pramipexole pramlintide prasugrel pravastatin praziquantel prazosin prednisolone prednisone pregabalin pretomanid
prilocaine primaquine primidone probenecid procaine procarbazine prochlorperazine progesterone promethazine
propafenone propofol propranolol propylthiouracil protamine prucalopride pseudoephedrine pyrazinamide
pyridostigmine pyridoxine pyrimethamine quetiapine quinapril quinine rabeprazole raloxifene raltegravir
ramelteon ramipril ranibizumab ranitidine ranolazine rasagiline rasburicase regorafenib relatlimab relebactam
remdesivir remifentanil repaglinide reslizumab reteplase retifanlimab rezafungin ribavirin ribociclib rifabutin
rifampicin rifampin rifapentine rifaximin rilpivirine riluzole rimegepant ripretinib risankizumab risedronate
risperidone ritonavir rituximab rivaroxaban rivastigmine rizatriptan rocuronium roflumilast romiplostim
romosozumab ropinirole ropivacaine rosiglitazone rosuvastatin rotigotine ruxolitinib sacituzumab sacubitril
salbutamol salmeterol saquinavir saxagliptin scopolamine secukinumab selegiline selpercatinib semaglutide
senna sertraline sevelamer sevoflurane sildenafil silodosin simvastatin siponimod sirolimus sitagliptin
sodium sofosbuvir solifenacin solriamfetol somatropin sorafenib sotagliflozin sotalol sotorasib spironolactone
streptokinase streptomycin sucralfate sulbactam sulfamethoxazole sulfasalazine sulpiride sumatriptan sunitinib
suvorexant suxamethonium tacrolimus tadalafil talquetamab tamoxifen tamsulosin tapentadol tazobactam teclistamab
tecovirimat tedizolid teicoplanin telavancin telmisartan temazepam temocillin temozolomide tenecteplase tenofovir
terazosin terbinafine terbutaline teriflunomide teriparatide terlipressin testosterone tetracycline tezepelumab
thalidomide theophylline thiamine thioguanine thiotepa tiagabine ticagrelor ticarcillin tigecycline timolol
tinidazole tinzaparin tiotropium tirofiban tirzepatide tisagenlecleucel tizanidine tobramycin tocilizumab
tofacitinib tolbutamide tolterodine topiramate topotecan torasemide torsemide trabectedin tramadol trametinib
trandolapril tranexamic trastuzumab trazodone tremelimumab treprostinil tretinoin triamcinolone triamterene
trifluoperazine trihexyphenidyl trimethoprim triptorelin trospium tucatinib ubrogepant umeclidinium urokinase
ursodeoxycholic ustekinumab vaborbactam valaciclovir valacyclovir valganciclovir valproate valproic valsartan
vancomycin vardenafil varenicline vasopressin vecuronium vedolizumab venetoclax venlafaxine verapamil vibegron
vigabatrin vilanterol vilazodone vildagliptin vinblastine vincristine vinorelbine vorapaxar voriconazole
vortioxetine warfarin zafirlukast zanamivir zidovudine ziprasidone zoledronate zoledronic zolmitriptan zolpidem
zonisamide zopiclone zuclopenthixol zuranolone
`;

/** Common generic drug names, lower case (a word of text is compared after NFKC and lower-casing). */
export const DRUG_NAMES: ReadonlySet<string> = new Set(NAMES.split(/\s+/).filter((name) => name !== ''));

/**
 * WHO INN stems that end a generic name, lower case. A word is a drug by stem when it ends with one and has at
 * least three more letters before it (`april` is no `-pril`), and is not one of `NOT_DRUGS`. Stems that end
 * common English words are left out or lengthened (`-onium`: pandemonium → `-curonium`, `-tropium`; `-cept`:
 * except → `-ercept`).
 */
export const DRUG_STEMS: readonly string[] = Object.freeze([
  'mab',
  'zumab',
  'ximab',
  'umab',
  'nib',
  'tinib',
  'rafenib',
  'ciclib',
  'parib',
  'lisib',
  'zomib',
  'pril',
  'sartan',
  'olol',
  'alol',
  'statin',
  'vastatin',
  'cillin',
  'cycline',
  'floxacin',
  'oxacin',
  'azole',
  'conazole',
  'prazole',
  'vir',
  'vudine',
  'citabine',
  'parin',
  'xaban',
  'gatran',
  'dronate',
  'gliptin',
  'gliflozin',
  'glutide',
  'semide',
  'thiazide',
  'platin',
  'rubicin',
  'taxel',
  'tecan',
  'mycin',
  'micin',
  'penem',
  'dipine',
  'triptan',
  'setron',
  'lukast',
  'tidine',
  'tadine',
  'afil',
  'terol',
  'caine',
  'azepam',
  'zolam',
  'relin',
  'relix',
  'barbital',
  'oxetine',
  'pramine',
  'triptyline',
  'profen',
  'coxib',
  'asone',
  'olone',
  'azosin',
  'curonium',
  'tropium',
  'ercept',
  'kinra',
  'lutamide',
  'fungin',
]);

/** Ordinary words that end with a stem. */
export const NOT_DRUGS: ReadonlySet<string> = new Set(['cholesterol']);
