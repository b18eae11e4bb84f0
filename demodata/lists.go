package demodata

import (
	"hash/fnv"
	"strconv"
	"strings"
)

// The built-in lists the generator draws from. They are compact on purpose:
// a few hundred names combine into hundreds of thousands of distinct people.

var firstNames = strings.Fields(`
James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William
Barbara Richard Susan Joseph Jessica Thomas Sarah Christopher Karen Charles Lisa
Daniel Nancy Matthew Betty Anthony Sandra Mark Margaret Donald Ashley Steven
Kimberly Andrew Emily Paul Donna Joshua Michelle Kenneth Carol Kevin Amanda Brian
Melissa George Deborah Timothy Stephanie Ronald Dorothy Jason Rebecca Edward
Sharon Jeffrey Laura Ryan Cynthia Jacob Amy Gary Kathleen Nicholas Angela Eric
Shirley Jonathan Brenda Stephen Emma Larry Anna Justin Pamela Scott Nicole Brandon
Samantha Benjamin Katherine Samuel Christine Gregory Debra Alexander Rachel Patrick
Carolyn Frank Janet Raymond Maria Jack Olivia Dennis Heather Jerry Helen Tyler
Catherine Aaron Diane Jose Julie Adam Victoria Nathan Joyce Henry Lauren Zachary
Kelly Douglas Christina Peter Ruth Kyle Joan Noah Virginia Ethan Judith Jeremy
Evelyn Walter Hannah Christian Andrea Keith Megan Roger Cheryl Terry Jacqueline
Austin Madison Sean Teresa Gerald Abigail Carl Sophia Harold Martha Dylan Sara
Arthur Gloria Lawrence Janice Jordan Kathryn Jesse Ann Bryan Isabella Billy Judy
Bruce Charlotte Gabriel Julia Joe Grace Logan Amber Alan Alice Juan Jean Albert
Denise Willie Frances Elijah Danielle Wayne Marilyn Randy Natalie Vincent Beverly
Mason Diana Roy Brittany Ralph Theresa Bobby Kayla Russell Alexis Bradley Doris
Philip Lori Eugene Tiffany Carlos Luis Miguel Ana Sofia Camila Valentina Mateo
Diego Santiago Alejandro Guadalupe Rosa Carmen Jorge Javier Ricardo Fernando
Lucia Elena Gabriela Adriana Marisol Ramon Hector Raul Yesenia Wei Li Mei Jun Hao
Ying Hiroshi Yuki Kenji Aiko Minh Linh Thanh Huong Ji-woo Min-jun Seo-yeon Priya
Rahul Anjali Vikram Deepa Arjun Sanjay Neha Aisha Fatima Omar Ahmed Yusuf Layla
Mohammed Hassan Amina Kwame Ama Chidi Ngozi Oluwaseun Adaeze Jamal Malik DeShawn
Tyrone Latoya Keisha Imani Jasmine Darnell Terrell Aaliyah Destiny Precious Leilani
Kai Makana Noelani Aponi Chenoa Tala Dakota Cheyenne Sven Ingrid Lars Astrid
Dmitri Natasha Ivan Olga Katarzyna Piotr Agnieszka Giulia Marco Francesca Luca
Siobhan Declan Aoife Liam Niamh Connor Colleen Brendan Moira Fiona Ewan Hamish
`)

var lastNames = strings.Fields(`
Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez
Hernandez Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee
Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young
Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall
Rivera Campbell Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker
Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers Gutierrez
Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward
Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price
Alvarez Castillo Sanders Patel Myers Long Ross Foster Jimenez Powell Jenkins
Perry Russell Sullivan Bell Coleman Butler Henderson Barnes Gonzales Fisher
Vasquez Simmons Romero Jordan Patterson Alexander Hamilton Graham Reynolds
Griffin Wallace Moreno West Cole Hayes Bryant Herrera Gibson Ellis Tran Medina
Aguilar Stevens Murray Ford Castro Marshall Owens Harrison Fernandez McDonald
Woods Washington Kennedy Wells Vargas Henry Chen Freeman Webb Tucker Guzman
Burns Crawford Olson Simpson Porter Hunter Gordon Mendez Silva Shaw Snyder Mason
Dixon Munoz Hunt Hicks Holmes Palmer Wagner Black Robertson Boyd Rose Stone
Salazar Fox Warren Mills Meyer Rice Schmidt Garza Daniels Ferguson Nichols
Stephens Soto Weaver Ryan Gardner Payne Grant Dunn Kelley Spencer Hawkins Arnold
Pierce Vazquez Hansen Peters Santos Hart Bradley Knight Elliott Cunningham Duncan
Armstrong Hudson Carroll Lane Riley Andrews Alvarado Ray Delgado Berry Perkins
Hoffman Johnston Matthews Pena Richards Contreras Willis Carpenter Lawrence
Sandoval Guerrero George Chapman Rios Estrada Ortega Watkins Greene Nunez Wheeler
Valdez Harper Burke Larson Santiago Maldonado Morrison Franklin Carlson Austin
Dominguez Carr Lawson Jacobs O'Brien Lynch Singh Vega Bishop Montgomery Oliver
Jensen Harvey Williamson Gilbert Dean Sims Espinoza Howell Li Wong Reid Hanson Le
McCoy Garrett Burton Fuller Wang Weber Welch Rojas Lucas Marquez Fields Park Yang
Little Banks Padilla Day Walsh Bowman Schultz Luna Fowler Mejia Davidson Acosta
Brewer May Holland Juarez Newman Pearson Curtis Cortez Douglas Schneider Joseph
Barrett Navarro Figueroa Keller Avila Wade Molina Stanley Hopkins Campos Barnett
Bates Chambers Caldwell Beck Lambert Miranda Byrd Craig Ayala Lowe Frazier Powers
Neal Leonard Gregory Carrillo Sutton Fleming Rhodes Shelton Schwartz Norris
Jennings Watts Duran Walters Cohen McDaniel Moran Parks Steele Vaughn Becker
Holt DeLeon Barker Terry Hale Leon Benson Haynes Horton Miles Lyons Pham
Graves Bush Thornton Wolfe Warner Cabrera McKinney Mann Zimmerman Dawson Lara
Fletcher Page McCarthy Love Robles Cervantes Solis Erickson Reeves Chang Klein
Salinas Fuentes Baldwin Daniel Simon Velasquez Hardy Higgins Aguirre Lin Cummings
Chandler Sharp Barber Bowen Ochoa Dennis Robbins Liu Ramsey Francis Griffith
Paul Blair O'Connor Cardenas Pacheco Cross Calderon Quinn Moss Swanson Chan Rivas
Khan Rodgers Serrano Fitzgerald Rosales Stevenson Christensen Manning Gill Curry
McLaughlin Harmon McGee Gross Doyle Garner Newton Burgess Reese Walton Blake
Trujillo Adkins Brady Goodman Roman Webster Goodwin Fischer Huang Potter Delacruz
Montoya Todd Wu Hines Mullins Castaneda Malone Cannon Tate Mack Sherman Hubbard
Hodges Zhang Guerra Wolf Valencia Saunders Franco Rowe Gallagher Farmer Hammond
Hampton Townsend Ingram Wise Gallegos Clarke Barton Schroeder Maxwell Waters
Logan Camacho Strickland Norman Person Colon MacDonald Nakamura Tanaka Yamamoto
Kowalski Nowak Novak Okafor Adeyemi Mensah Haddad Nasser Abdullah Kahananui Begay
Yazzie Tsosie Lindqvist Johansson Rossi Esposito Romano Byrne Gallo
`)

var suffixes = []string{"Jr.", "Sr.", "II", "III"}

// A city with its state, the first three digits of its ZIP codes, its telephone
// area code, and a rough weight so large cities come up more often.
type city struct {
	Name, State, ZIP3, AreaCode string
	Weight                      int
}

var cities = []city{
	{"New York", "NY", "100", "212", 20}, {"Brooklyn", "NY", "112", "718", 10},
	{"Buffalo", "NY", "142", "716", 3}, {"Rochester", "NY", "146", "585", 2},
	{"Albany", "NY", "122", "518", 2}, {"Los Angeles", "CA", "900", "213", 15},
	{"San Diego", "CA", "921", "619", 8}, {"San Jose", "CA", "951", "408", 6},
	{"San Francisco", "CA", "941", "415", 5}, {"Fresno", "CA", "937", "559", 3},
	{"Sacramento", "CA", "958", "916", 3}, {"Oakland", "CA", "946", "510", 3},
	{"Bakersfield", "CA", "933", "661", 2}, {"Riverside", "CA", "925", "951", 2},
	{"Chicago", "IL", "606", "312", 12}, {"Springfield", "IL", "627", "217", 1},
	{"Peoria", "IL", "616", "309", 1}, {"Houston", "TX", "770", "713", 11},
	{"San Antonio", "TX", "782", "210", 7}, {"Dallas", "TX", "752", "214", 7},
	{"Austin", "TX", "787", "512", 5}, {"Fort Worth", "TX", "761", "817", 5},
	{"El Paso", "TX", "799", "915", 3}, {"Lubbock", "TX", "794", "806", 1},
	{"Corpus Christi", "TX", "784", "361", 1}, {"Phoenix", "AZ", "850", "602", 8},
	{"Tucson", "AZ", "857", "520", 3}, {"Mesa", "AZ", "852", "480", 3},
	{"Flagstaff", "AZ", "860", "928", 1}, {"Philadelphia", "PA", "191", "215", 8},
	{"Pittsburgh", "PA", "152", "412", 3}, {"Allentown", "PA", "181", "610", 1},
	{"Harrisburg", "PA", "171", "717", 1}, {"Jacksonville", "FL", "322", "904", 5},
	{"Miami", "FL", "331", "305", 5}, {"Tampa", "FL", "336", "813", 4},
	{"Orlando", "FL", "328", "407", 3}, {"Tallahassee", "FL", "323", "850", 1},
	{"Pensacola", "FL", "325", "850", 1}, {"Columbus", "OH", "432", "614", 5},
	{"Cleveland", "OH", "441", "216", 3}, {"Cincinnati", "OH", "452", "513", 3},
	{"Toledo", "OH", "436", "419", 2}, {"Akron", "OH", "443", "330", 1},
	{"Dayton", "OH", "454", "937", 1}, {"Charlotte", "NC", "282", "704", 5},
	{"Raleigh", "NC", "276", "919", 3}, {"Greensboro", "NC", "274", "336", 2},
	{"Asheville", "NC", "288", "828", 1}, {"Indianapolis", "IN", "462", "317", 5},
	{"Fort Wayne", "IN", "468", "260", 2}, {"Evansville", "IN", "477", "812", 1},
	{"Seattle", "WA", "981", "206", 5}, {"Spokane", "WA", "992", "509", 2},
	{"Tacoma", "WA", "984", "253", 2}, {"Denver", "CO", "802", "303", 5},
	{"Colorado Springs", "CO", "809", "719", 3}, {"Washington", "DC", "200", "202", 4},
	{"Boston", "MA", "021", "617", 4}, {"Worcester", "MA", "016", "508", 2},
	{"Springfield", "MA", "011", "413", 1}, {"Nashville", "TN", "372", "615", 4},
	{"Memphis", "TN", "381", "901", 4}, {"Knoxville", "TN", "379", "865", 2},
	{"Chattanooga", "TN", "374", "423", 1}, {"Detroit", "MI", "482", "313", 4},
	{"Grand Rapids", "MI", "495", "616", 2}, {"Lansing", "MI", "489", "517", 1},
	{"Portland", "OR", "972", "503", 4}, {"Eugene", "OR", "974", "541", 1},
	{"Las Vegas", "NV", "891", "702", 4}, {"Reno", "NV", "895", "775", 2},
	{"Louisville", "KY", "402", "502", 3}, {"Lexington", "KY", "405", "859", 2},
	{"Baltimore", "MD", "212", "410", 4}, {"Annapolis", "MD", "214", "410", 1},
	{"Milwaukee", "WI", "532", "414", 3}, {"Madison", "WI", "537", "608", 2},
	{"Green Bay", "WI", "543", "920", 1}, {"Albuquerque", "NM", "871", "505", 3},
	{"Santa Fe", "NM", "875", "505", 1}, {"Kansas City", "MO", "641", "816", 3},
	{"St. Louis", "MO", "631", "314", 3}, {"Springfield", "MO", "658", "417", 1},
	{"Atlanta", "GA", "303", "404", 5}, {"Savannah", "GA", "314", "912", 1},
	{"Omaha", "NE", "681", "402", 2}, {"Lincoln", "NE", "685", "402", 1},
	{"Minneapolis", "MN", "554", "612", 3}, {"Duluth", "MN", "558", "218", 1},
	{"Tulsa", "OK", "741", "918", 2}, {"Oklahoma City", "OK", "731", "405", 3},
	{"Wichita", "KS", "672", "316", 2}, {"Topeka", "KS", "666", "785", 1},
	{"New Orleans", "LA", "701", "504", 3}, {"Baton Rouge", "LA", "708", "225", 2},
	{"Shreveport", "LA", "711", "318", 1}, {"Honolulu", "HI", "968", "808", 3},
	{"Hilo", "HI", "967", "808", 1}, {"Anchorage", "AK", "995", "907", 2},
	{"Juneau", "AK", "998", "907", 1}, {"San Juan", "PR", "009", "787", 3},
	{"Ponce", "PR", "007", "787", 1}, {"Boise", "ID", "837", "208", 2},
	{"Pocatello", "ID", "832", "208", 1}, {"Salt Lake City", "UT", "841", "801", 2},
	{"Provo", "UT", "846", "801", 1}, {"Des Moines", "IA", "503", "515", 2},
	{"Cedar Rapids", "IA", "524", "319", 1}, {"Little Rock", "AR", "722", "501", 2},
	{"Fayetteville", "AR", "727", "479", 1}, {"Jackson", "MS", "392", "601", 2},
	{"Gulfport", "MS", "395", "228", 1}, {"Birmingham", "AL", "352", "205", 2},
	{"Montgomery", "AL", "361", "334", 1}, {"Mobile", "AL", "366", "251", 1},
	{"Charleston", "WV", "253", "304", 1}, {"Huntington", "WV", "257", "304", 1},
	{"Charleston", "SC", "294", "843", 2}, {"Columbia", "SC", "292", "803", 2},
	{"Richmond", "VA", "232", "804", 2}, {"Virginia Beach", "VA", "234", "757", 3},
	{"Norfolk", "VA", "235", "757", 1}, {"Providence", "RI", "029", "401", 2},
	{"Hartford", "CT", "061", "860", 2}, {"New Haven", "CT", "065", "203", 1},
	{"Burlington", "VT", "054", "802", 1}, {"Montpelier", "VT", "056", "802", 1},
	{"Portland", "ME", "041", "207", 1}, {"Augusta", "ME", "043", "207", 1},
	{"Manchester", "NH", "031", "603", 1}, {"Concord", "NH", "033", "603", 1},
	{"Newark", "NJ", "071", "973", 3}, {"Jersey City", "NJ", "073", "201", 2},
	{"Trenton", "NJ", "086", "609", 1}, {"Wilmington", "DE", "198", "302", 1},
	{"Dover", "DE", "199", "302", 1}, {"Fargo", "ND", "581", "701", 1},
	{"Bismarck", "ND", "585", "701", 1}, {"Sioux Falls", "SD", "571", "605", 1},
	{"Rapid City", "SD", "577", "605", 1}, {"Billings", "MT", "591", "406", 1},
	{"Missoula", "MT", "598", "406", 1}, {"Cheyenne", "WY", "820", "307", 1},
	{"Casper", "WY", "826", "307", 1},
}

// cityPick maps a uniform draw to a city index by weight.
var cityPick = func() []uint16 {
	var p []uint16
	for i, c := range cities {
		for range c.Weight {
			p = append(p, uint16(i))
		}
	}
	return p
}()

var stateNames = map[string]string{
	"AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
	"CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
	"FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
	"IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
	"ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
	"MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
	"NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
	"NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon",
	"PA": "Pennsylvania", "PR": "Puerto Rico", "RI": "Rhode Island", "SC": "South Carolina",
	"SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont",
	"VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
}

var streetNames = strings.Split(`Main|Oak|Maple|Cedar|Pine|Elm|Washington|Lake|Hill|Park|Walnut|`+
	`Sunset|Lincoln|Jackson|Church|River|Highland|Willow|Chestnut|Spring|Meadow|Forest|`+
	`Franklin|Madison|Jefferson|Ridge|Valley|Center|Mill|Poplar|Dogwood|Magnolia|Hickory|`+
	`Sycamore|Birch|Aspen|Lakeview|Fairview|Greenwood|Prospect|Union|Market|Broad|Front|`+
	`Water|Bridge|School|College|Academy|Liberty|Independence|Adams|Monroe|Harrison|`+
	`Cherry|Peach Tree|Orchard|Vineyard|Prairie|Canyon|Mesa|Desert Willow|Palm|Ocean|`+
	`Bay|Harbor|Cypress|Juniper|Laurel|Hawthorne|Mockingbird|Cardinal|Bluebird|Eagle|`+
	`Hilltop|Woodland|Country Club|King|Queen|Rose|Lilac|Sunflower|Heritage|Pioneer|`+
	`Frontier|Summit|Timber|Stonegate|Brookside|Riverside|Old Mill|Kingsley|Wellington`, "|")

var streetSuffixes = []string{"St", "St", "Ave", "Ave", "Rd", "Dr", "Ln", "Blvd", "Ct", "Way", "Pl", "Ter", "Cir"}

// Employers on W-2s. All made up.
var employers = strings.Split(`Acme Logistics LLC|Blue Ridge Health System|Cascade Software Inc|`+
	`Riverbend School District|Summit Hardware Co|Northstar Insurance Group|`+
	`Golden Plains Foods Inc|Harborview Hospital|Pinecrest Manufacturing|Meridian Bank NA|`+
	`Silver Lake Construction|Redwood Retail Stores|Evergreen Senior Living|`+
	`Prairie Wind Energy|Lakeside Community College|Granite State Trucking|`+
	`Coastal Seafood Processors|Sunbelt Home Services|Ironwood Machine Works|`+
	`Bright Horizons Staffing|Maple Leaf Dental Group|Crescent City Hotels|`+
	`Great Basin Mining Co|Heartland Grain Cooperative|Metro Transit Authority|`+
	`County of Fairview|City of Riverside Heights|State University Foundation|`+
	`Alpine Outdoor Outfitters|Keystone Pharmacy Inc|Liberty Call Centers|`+
	`Orchard Valley Farms|Bayside Marine Supply|Copper Canyon Resorts|`+
	`Tri-County Electric Co-op|Willow Creek Nursing Home|Quantum Circuits Corp|`+
	`Patriot Security Services|Sunrise Bakery Co|Thunderbird Auto Group|`+
	`Silverline Telecom|Magnolia Family Practice|Pioneer Valley Credit Union|`+
	`Blue Water Shipping|Frontier Airlines Services|Oakmont Property Management|`+
	`Redstone Engineering|Clearwater Utilities|Harvest Moon Restaurants|`+
	`Desert Sun Solar|Northwind Distribution|Lone Star Freight|Bluegrass Distillers|`+
	`Aloha Island Tours|Cornerstone Church Ministries|Precision Dental Labs|`+
	`Gateway Charter Schools|Hilltop Veterinary Clinic|Rapid River Logistics|`+
	`United Parcel Carriers Inc`, "|")

// Banks and credit unions on 1099-INT forms. All made up.
var banks = strings.Split(`First Prairie Bank|Harbor Federal Credit Union|Mountain West Savings|`+
	`Union Square Bank|Lakeshore Community Bank|Citizens Trust of America|`+
	`Heritage Savings and Loan|Pacific Rim Bank|Great Lakes Credit Union|`+
	`Sunshine State Bank|Blue Sky Online Bank|Patriot National Bank|`+
	`Valley Farmers Bank|Cornerstone Federal Savings|Keystone Community Credit Union|`+
	`Redwood Capital Bank|Atlantic Coast Savings|Frontier Bank and Trust|`+
	`Magnolia State Bank|Northern Lights Credit Union`, "|")

// Payers on 1099-NEC forms. All made up.
var necPayers = strings.Split(`RideAlong Technologies Inc|TaskHive Marketplace LLC|`+
	`DeliverEase Corp|Freelance Hub Inc|Pixel & Pine Design Studio|HomeFix Network LLC|`+
	`ShopLocal Couriers|BrightPath Tutoring|Evergreen Consulting Group|`+
	`Summit Event Staffing|Urban Pet Care Co|CloudWrite Content LLC`, "|")

// einLast4 gives each payer a stable, made-up EIN ending.
func einLast4(payer string) string {
	h := fnv.New32a()
	h.Write([]byte(payer))
	s := strconv.Itoa(int(h.Sum32()%10000) + 10000)
	return s[1:]
}
