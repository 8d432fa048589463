#!/usr/bin/env python3
"""Writes ontologies/crm.ttl and ontologies/lrmoo.ttl from our term list and the official RDFS files.

Usage: python3 ontologies/build.py [../shared/ontologies]

Labels come from the official files (CIDOC-CRM 7.1.3 RDFS, LRMoo 1.1.1): English always, French
where the CRM file has one. Terms the files lack (the PC14 "property class" pattern, French for
LRMoo) get labels we wrote, listed in the header of each output. Definitions are ours, one line,
in both languages; the official scope notes are not copied. Re-running with the same inputs gives
the same files, so a diff shows what changed upstream.
"""
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
RDFS = "{http://www.w3.org/2000/01/rdf-schema#}"
LANG = "{http://www.w3.org/XML/1998/namespace}lang"
HERE = Path(__file__).resolve().parent

# local name | English definition | French definition   (ours, one line each)
# LRMOO rows: local name | English definition | French label | French definition
CRM = """
E1_CRM_Entity|Anything the CRM can describe; the root of every class.|Tout ce que le CRM peut décrire ; la racine de toutes les classes.
E2_Temporal_Entity|Something that happens or holds over a stretch of time.|Ce qui se produit ou dure pendant un intervalle de temps.
E4_Period|A set of phenomena bounded in time and space, such as a style or an era.|Un ensemble de phénomènes délimité dans le temps et l'espace, comme un style ou une époque.
E5_Event|A change of state in the world, with or without human intent.|Un changement d'état dans le monde, intentionnel ou non.
E7_Activity|Something people did on purpose: a performance, a course, a restoration.|Une action menée délibérément par des personnes : spectacle, cours, restauration.
E8_Acquisition|A change of legal ownership of a thing, such as a purchase, gift or bequest.|Un changement de propriété légale d'une chose : achat, don, legs.
E9_Move|The relocation of an object from one place to another.|Le déplacement d'un objet d'un lieu à un autre.
E10_Transfer_of_Custody|A change of who physically keeps a thing, such as a loan or deposit.|Un changement de détenteur physique d'une chose, comme un prêt ou un dépôt.
E11_Modification|An activity that changes a physical thing, such as a repair or restoration.|Une activité qui transforme une chose matérielle, comme une réparation ou une restauration.
E12_Production|The making of a human-made object: painting, casting, printing.|La fabrication d'un objet par l'humain : peinture, fonte, impression.
E13_Attribute_Assignment|An act of stating something about something, such as an attribution.|L'acte d'affirmer quelque chose d'une chose, comme une attribution.
E16_Measurement|An act of measuring a thing, giving a dimension.|L'acte de mesurer une chose, qui donne une dimension.
E17_Type_Assignment|An act of classifying a thing, such as an identification of a specimen.|L'acte de classer une chose, comme la détermination d'un spécimen.
E18_Physical_Thing|Any material thing, natural or made.|Toute chose matérielle, naturelle ou fabriquée.
E19_Physical_Object|A material thing that can be moved as a whole.|Une chose matérielle qui se déplace d'un seul tenant.
E20_Biological_Object|A living or once-living material thing, such as a specimen.|Une chose matérielle vivante ou l'ayant été, comme un spécimen.
E21_Person|A human being, living or dead.|Un être humain, vivant ou mort.
E22_Human-Made_Object|A movable object made by people: a painting, a book, a tool.|Un objet mobile fabriqué par l'humain : tableau, livre, outil.
E24_Physical_Human-Made_Thing|Any material thing made by people, movable or not.|Toute chose matérielle faite par l'humain, mobile ou non.
E25_Human-Made_Feature|A made mark or shape on a thing that cannot be detached from it.|Une marque ou forme faite sur une chose et qui ne peut s'en détacher.
E26_Physical_Feature|A distinct part of a thing that cannot be separated from it, such as a crack.|Une partie distincte d'une chose qui ne peut en être séparée, comme une fissure.
E28_Conceptual_Object|A creation of the mind that can be copied but has no body.|Une création de l'esprit, reproductible, sans support propre.
E29_Design_or_Procedure|A plan or method for making or doing something.|Un plan ou une méthode pour fabriquer ou faire quelque chose.
E30_Right|A legal privilege over a thing, such as copyright.|Un droit légal sur une chose, comme le droit d'auteur.
E31_Document|Content that records facts about something.|Un contenu qui consigne des faits sur quelque chose.
E33_Linguistic_Object|A piece of text in some language, such as a description or a note.|Un texte dans une langue, comme une description ou une note.
E34_Inscription|Text written, carved or stamped on an object.|Un texte écrit, gravé ou apposé sur un objet.
E35_Title|The name given to a work or object, as a piece of text.|Le nom donné à une œuvre ou à un objet, en tant que texte.
E36_Visual_Item|An image as content, whatever carries it: a photograph, a depiction.|Une image en tant que contenu, quel que soit son support : photo, représentation.
E37_Mark|A sign put on an object to identify it, such as a stamp or a signature.|Un signe apposé sur un objet pour l'identifier, comme un cachet ou une signature.
E39_Actor|A person or a group that can act and be held responsible.|Une personne ou un groupe capable d'agir et d'en répondre.
E41_Appellation|A name or code by which something is called.|Un nom ou un code par lequel on désigne une chose.
E42_Identifier|A code assigned to identify something, such as an inventory number.|Un code attribué pour identifier une chose, comme un numéro d'inventaire.
E52_Time-Span|The stretch of time during which something happened, with its known bounds.|L'intervalle de temps pendant lequel une chose a eu lieu, avec ses bornes connues.
E53_Place|A location in space, such as a city, a building or a site.|Un emplacement dans l'espace : ville, bâtiment, site.
E54_Dimension|A measurable quantity of a thing, such as its height, with value and unit.|Une grandeur mesurable d'une chose, comme sa hauteur, avec valeur et unité.
E55_Type|A term from a vocabulary used to classify things.|Un terme de vocabulaire servant à classer les choses.
E56_Language|A natural language, such as French or Latin.|Une langue naturelle, comme le français ou le latin.
E57_Material|A substance a thing is made of, such as oil paint or bronze.|Une matière dont une chose est faite, comme la peinture à l'huile ou le bronze.
E58_Measurement_Unit|A unit in which a dimension is expressed, such as the centimetre.|Une unité dans laquelle s'exprime une dimension, comme le centimètre.
E63_Beginning_of_Existence|An event that brings something into being.|Un événement qui fait commencer l'existence d'une chose.
E64_End_of_Existence|An event that ends the existence of something.|Un événement qui met fin à l'existence d'une chose.
E65_Creation|The making of a new idea, text, image or other non-material work.|La création d'une idée, d'un texte, d'une image ou d'une autre œuvre immatérielle.
E66_Formation|The founding of a group or organisation.|La fondation d'un groupe ou d'une organisation.
E67_Birth|The birth of a person.|La naissance d'une personne.
E68_Dissolution|The end of a group or organisation.|La fin d'un groupe ou d'une organisation.
E69_Death|The death of a person.|La mort d'une personne.
E70_Thing|Any identifiable thing, material or not, that lasts over time.|Toute chose identifiable, matérielle ou non, qui dure dans le temps.
E71_Human-Made_Thing|Anything people made, material or not.|Tout ce que l'humain a fait, matériel ou non.
E72_Legal_Object|Something that can be owned or be subject to rights.|Ce qui peut être possédé ou faire l'objet de droits.
E73_Information_Object|An identifiable piece of content, such as a text, an image or a score.|Un contenu identifiable, comme un texte, une image ou une partition.
E74_Group|Several people acting together, such as a museum, a troupe or a family.|Plusieurs personnes qui agissent ensemble : musée, troupe, famille.
E77_Persistent_Item|Something that keeps its identity over time.|Ce qui garde son identité au fil du temps.
E78_Curated_Holding|A collection kept and managed on purpose, such as a museum collection.|Une collection constituée et gérée délibérément, comme celle d'un musée.
E79_Part_Addition|The adding of a part to a thing.|L'ajout d'une partie à une chose.
E80_Part_Removal|The taking away of a part from a thing.|Le retrait d'une partie d'une chose.
E85_Joining|A person or group becoming a member of a group.|L'entrée d'une personne ou d'un groupe dans un groupe.
E86_Leaving|A person or group ceasing to be a member of a group.|La sortie d'une personne ou d'un groupe d'un groupe.
E87_Curation_Activity|The work of building and managing a collection.|Le travail de constitution et de gestion d'une collection.
E89_Propositional_Object|Content with a meaning that can be about something.|Un contenu porteur de sens, qui peut porter sur quelque chose.
E90_Symbolic_Object|A sign or arrangement of signs, such as a text or a code.|Un signe ou un agencement de signes, comme un texte ou un code.
E92_Spacetime_Volume|A region of space over a stretch of time.|Une portion d'espace considérée sur un intervalle de temps.
E96_Purchase|An acquisition in exchange for money.|Une acquisition contre une somme d'argent.
E97_Monetary_Amount|A sum of money in a currency.|Une somme d'argent dans une devise.
E98_Currency|A unit of money, such as the euro.|Une unité monétaire, comme l'euro.
E99_Product_Type|A model or design of which many copies are made.|Un modèle ou un type de produit fabriqué en série.
E3_Condition_State|The physical state a thing was found in over a stretch of time.|L'état physique dans lequel une chose s'est trouvée pendant un intervalle de temps.
E6_Destruction|An event that destroys a physical thing.|Un événement qui détruit une chose matérielle.
E14_Condition_Assessment|An examination that records the state of a thing.|Un examen qui consigne l'état d'une chose.
E15_Identifier_Assignment|The giving, or withdrawing, of an identifier to a thing.|L'attribution, ou le retrait, d'un identifiant à une chose.
E27_Site|A piece of land or sea floor with its features, such as an excavation site.|Une étendue de terrain ou de fond marin avec ses caractéristiques, comme un site de fouille.
E32_Authority_Document|A reference list of names or terms, such as a thesaurus.|Une liste de référence de noms ou de termes, comme un thésaurus.
E81_Transformation|An event that turns things into something new, such as turning a mill into a museum.|Un événement qui transforme des choses en une chose nouvelle, comme un moulin devenu musée.
E83_Type_Creation|The naming of a new type, such as describing a new species.|La création d'un nouveau type, comme la description d'une nouvelle espèce.
E93_Presence|Where a thing was during some stretch of time.|Où se trouvait une chose pendant un intervalle de temps.
P10i_contains|Points from a period or event to one that falls within it.|Relie une période ou un événement à ce qui s'inscrit à l'intérieur.
P12i_was_present_at|Points from a thing to an event it was present at.|Relie une chose à un événement auquel elle était présente.
P15i_influenced|Points from a thing to an activity it influenced.|Relie une chose à une activité qu'elle a influencée.
P17i_motivated|Points from a thing to an activity it motivated.|Relie une chose à une activité qu'elle a motivée.
P19i_was_made_for|Points from an object to the use it was made for.|Relie un objet à l'usage pour lequel il a été fait.
P23i_surrendered_title_through|Points from a former owner to the acquisition in which they gave up ownership.|Relie un ancien propriétaire à l'acquisition par laquelle il a cédé la propriété.
P25i_moved_by|Points from an object to a move that relocated it.|Relie un objet à un déplacement qui l'a changé de lieu.
P26i_was_destination_of|Points from a place to a move that ended there.|Relie un lieu à un déplacement qui s'y est achevé.
P27i_was_origin_of|Points from a place to a move that started there.|Relie un lieu à un déplacement qui en est parti.
P28i_surrendered_custody_through|Points from a former keeper to the transfer in which they gave the thing up.|Relie un ancien détenteur au transfert par lequel il a cédé la chose.
P29i_received_custody_through|Points from a new keeper to the transfer in which they received the thing.|Relie un nouveau détenteur au transfert par lequel il a reçu la chose.
P30i_custody_transferred_through|Points from a thing to a transfer that changed its keeper.|Relie une chose à un transfert qui a changé son détenteur.
P31i_was_modified_by|Points from a thing to a modification that changed it.|Relie une chose à une modification qui l'a transformée.
P32i_was_technique_of|Points from a technique to an activity that used it.|Relie une technique à une activité qui l'a employée.
P34_concerned|Gives the thing whose condition was assessed.|Donne la chose dont l'état a été examiné.
P35_has_identified|Gives the condition the assessment found.|Donne l'état constaté par l'examen.
P37_assigned|Gives the identifier that was given.|Donne l'identifiant attribué.
P38_deassigned|Gives the identifier that was withdrawn.|Donne l'identifiant retiré.
P39i_was_measured_by|Points from a thing to a measurement of it.|Relie une chose à une mesure qui en a été faite.
P40i_was_observed_in|Points from a dimension to the measurement that found it.|Relie une dimension à la mesure qui l'a obtenue.
P41i_was_classified_by|Points from a thing to a classification of it.|Relie une chose à une classification dont elle a fait l'objet.
P42i_was_assigned_by|Points from a type to a classification that gave it.|Relie un type à une classification qui l'a attribué.
P44i_is_condition_of|Points from a condition to the thing in that state.|Relie un état à la chose qui s'y trouve.
P48i_is_preferred_identifier_of|Points from an identifier to the thing it is preferred for.|Relie un identifiant à la chose pour laquelle il est privilégié.
P49i_is_former_or_current_keeper_of|Points from a keeper to things it keeps or kept.|Relie un détenteur aux choses qu'il détient ou a détenues.
P51i_is_former_or_current_owner_of|Points from an owner to things it owns or owned.|Relie un propriétaire aux choses qu'il possède ou a possédées.
P53i_is_former_or_current_location_of|Points from a place to objects that are or were there.|Relie un lieu aux objets qui s'y trouvent ou s'y sont trouvés.
P55i_currently_holds|Points from a place to the objects there now.|Relie un lieu aux objets qui s'y trouvent aujourd'hui.
P56i_is_found_on|Points from a feature to the thing it is on.|Relie un élément à la chose sur laquelle il se trouve.
P57_has_number_of_parts|How many parts the thing has.|Le nombre de parties de la chose.
P62i_is_depicted_by|Points from a thing to images or objects that show it.|Relie une chose aux images ou objets qui la montrent.
P65i_is_shown_by|Points from an image to objects that show it.|Relie une image aux objets qui la montrent.
P69_has_association_with|Links two plans or methods that are related.|Relie deux plans ou méthodes apparentés.
P70_documents|Gives what the document records facts about.|Donne ce sur quoi le document consigne des faits.
P70i_is_documented_in|Points from a thing to a document about it.|Relie une chose à un document qui la concerne.
P71_lists|Gives an entry of a reference list.|Donne une entrée d'une liste de référence.
P72i_is_language_of|Points from a language to texts written in it.|Relie une langue aux textes écrits dans cette langue.
P73i_is_translation_of|Points from a translation to its original text.|Relie une traduction à son texte d'origine.
P74i_is_current_or_former_residence_of|Points from a place to people or groups that live or lived there.|Relie un lieu aux personnes ou groupes qui y résident ou y ont résidé.
P75_possesses|Gives a right the person or group holds.|Donne un droit que détient la personne ou le groupe.
P76_has_contact_point|Gives an address, phone number or e-mail to reach the actor.|Donne une adresse, un téléphone ou un courriel pour joindre l'acteur.
P79_beginning_is_qualified_by|A note on how sure or exact the start of the time-span is.|Une note sur la certitude ou la précision du début de l'intervalle.
P80_end_is_qualified_by|A note on how sure or exact the end of the time-span is.|Une note sur la certitude ou la précision de la fin de l'intervalle.
P86i_contains|Points from a time-span to one that falls within it.|Relie un intervalle de temps à un intervalle qu'il contient.
P92i_was_brought_into_existence_by|Points from a thing to the event that made it begin to exist.|Relie une chose à l'événement qui l'a fait exister.
P93i_was_taken_out_of_existence_by|Points from a thing to the event that ended its existence.|Relie une chose à l'événement qui a mis fin à son existence.
P96i_gave_birth|Points from a mother to a birth she gave.|Relie une mère à une naissance qu'elle a donnée.
P97i_was_father_for|Points from a father to a birth he was father in.|Relie un père à une naissance dont il est le père.
P99i_was_dissolved_by|Points from a group to the event that ended it.|Relie un groupe à l'événement qui y a mis fin.
P104i_applies_to|Points from a right to the things it applies to.|Relie un droit aux choses auxquelles il s'applique.
P105i_has_right_on|Points from a rights holder to the things they hold rights on.|Relie un titulaire de droits aux choses sur lesquelles il détient des droits.
P106i_forms_part_of|Points from a piece of content to the larger content it belongs to.|Relie un contenu au contenu plus large dont il fait partie.
P109i_is_current_or_former_curator_of|Points from a curator to collections it manages or managed.|Relie un conservateur aux collections qu'il gère ou a gérées.
P111_added|Gives the part that was added.|Donne la partie ajoutée.
P112_diminished|Gives the thing a part was taken from.|Donne la chose dont une partie a été retirée.
P113_removed|Gives the part that was taken away.|Donne la partie retirée.
P110_augmented|Gives the thing a part was added to.|Donne la chose à laquelle une partie a été ajoutée.
P121_overlaps_with|Says two places share some area.|Indique que deux lieux ont une partie en commun.
P122_borders_with|Says two places touch along a boundary.|Indique que deux lieux se touchent le long d'une limite.
P124_transformed|Gives a thing that the transformation turned into something else.|Donne une chose que la transformation a changée en autre chose.
P125i_was_type_of_object_used_in|Points from a kind of object to activities that used one.|Relie un type d'objet aux activités qui en ont utilisé un.
P126i_was_employed_in|Points from a material to activities that used it.|Relie une matière aux activités qui l'ont employée.
P130i_features_are_also_found_on|Points from a model to things that resemble it.|Relie un modèle aux choses qui le reproduisent.
P134_continued|Gives an earlier activity this one carried on.|Donne une activité antérieure que celle-ci a poursuivie.
P135_created_type|Gives the type the type creation named.|Donne le type créé.
P137i_is_exemplified_by|Points from a type to a typical example of it.|Relie un type à un exemple typique.
P139_has_alternative_form|Links two names that are variants of each other.|Relie deux appellations qui sont des variantes l'une de l'autre.
P140i_was_attributed_by|Points from a thing to statements made about it.|Relie une chose aux affirmations faites à son sujet.
P141i_was_assigned_by|Points from a stated value to the statement that gave it.|Relie une valeur affirmée à l'affirmation qui l'a donnée.
P147_curated|Gives the collection the curation activity managed.|Donne la collection gérée par l'activité de conservation.
P148i_is_component_of|Points from a component to the content it belongs to.|Relie un composant au contenu auquel il appartient.
P151i_participated_in|Points from a group to a formation it helped found.|Relie un groupe à une formation à laquelle il a contribué.
P152_has_parent|Gives a parent of the person.|Donne un parent de la personne.
P152i_is_parent_of|Gives a child of the person.|Donne un enfant de la personne.
P156_occupies|Gives the place a physical thing takes up.|Donne le lieu qu'occupe une chose matérielle.
P161_has_spatial_projection|Gives the place covered by an event or period.|Donne le lieu couvert par un événement ou une période.
P165i_is_incorporated_in|Points from content to content that embeds it.|Relie un contenu à un contenu qui l'intègre.
P173_starts_before_or_with_the_end_of|Says this starts no later than the other ends.|Indique que ceci commence au plus tard quand l'autre finit.
P174_starts_before_the_end_of|Says this starts before the other ends.|Indique que ceci commence avant que l'autre ne finisse.
P176_starts_before_the_start_of|Says this starts before the other starts.|Indique que ceci commence avant que l'autre ne commence.
P182_ends_before_or_with_the_start_of|Says this ends no later than the other starts.|Indique que ceci finit au plus tard quand l'autre commence.
P183_ends_before_the_start_of|Says this ends before the other starts.|Indique que ceci finit avant que l'autre ne commence.
P179i_was_sales_price_of|Points from an amount to the sale it was the price of.|Relie une somme à la vente dont elle était le prix.
P180i_was_currency_of|Points from a currency to amounts given in it.|Relie une devise aux sommes exprimées dans cette devise.
P186i_is_produced_by|Points from a model to productions that made copies of it.|Relie un modèle aux productions qui en ont fait des exemplaires.
P195_was_a_presence_of|Gives the thing whose whereabouts the presence records.|Donne la chose dont la présence est décrite.
P197_covered_parts_of|Gives a place part of which the presence covered.|Donne un lieu dont la présence a couvert une partie.
P198_holds_or_supports|Gives a thing this one holds or carries, such as a frame and its canvas.|Donne une chose que celle-ci porte ou soutient, comme un cadre et sa toile.
P1_is_identified_by|Gives a name or identifier of the thing.|Donne un nom ou un identifiant de la chose.
P1i_identifies|Points from a name or identifier to the thing it names.|Relie un nom ou un identifiant à la chose qu'il désigne.
P2_has_type|Classifies the thing with a term from a vocabulary.|Classe la chose au moyen d'un terme de vocabulaire.
P2i_is_type_of|Points from a vocabulary term to the things it classifies.|Relie un terme de vocabulaire aux choses qu'il classe.
P3_has_note|A free-text note about the thing.|Une note en texte libre sur la chose.
P4_has_time-span|Gives the stretch of time during which the event happened.|Donne l'intervalle de temps pendant lequel l'événement a eu lieu.
P4i_is_time-span_of|Points from a time-span to the event it dates.|Relie un intervalle de temps à l'événement qu'il date.
P5_consists_of|Splits a condition or state into the parts it is made of.|Décompose un état en ses composantes.
P7_took_place_at|Gives the place where the event happened.|Donne le lieu où l'événement s'est produit.
P7i_witnessed|Points from a place to the events that happened there.|Relie un lieu aux événements qui s'y sont produits.
P9_consists_of|Gives a smaller event that is part of this one.|Donne un événement plus petit qui fait partie de celui-ci.
P9i_forms_part_of|Points from an event to the larger event it belongs to.|Relie un événement au plus grand événement dont il fait partie.
P10_falls_within|Places a period or event inside a larger one.|Situe une période ou un événement à l'intérieur d'un plus grand.
P11_had_participant|Gives a person or group that took part in the event.|Donne une personne ou un groupe ayant pris part à l'événement.
P11i_participated_in|Points from a person or group to an event they took part in.|Relie une personne ou un groupe à un événement auquel il a pris part.
P12_occurred_in_the_presence_of|Gives a thing that was present at the event.|Donne une chose présente lors de l'événement.
P14_carried_out_by|Gives the person or group who did the activity.|Donne la personne ou le groupe qui a mené l'activité.
P14i_performed|Points from a person or group to an activity they did.|Relie une personne ou un groupe à une activité qu'il a menée.
P15_was_influenced_by|Gives something that influenced the activity.|Donne une chose qui a influencé l'activité.
P16_used_specific_object|Gives a particular object used in the activity, such as an instrument or a score.|Donne un objet précis utilisé dans l'activité, comme un instrument ou une partition.
P16i_was_used_for|Points from an object to an activity that used it.|Relie un objet à une activité qui l'a utilisé.
P17_was_motivated_by|Gives a reason or motive for the activity.|Donne une raison ou un motif de l'activité.
P19_was_intended_use_of|Gives the object whose intended use the activity was.|Donne l'objet dont l'activité était l'usage prévu.
P20_had_specific_purpose|Gives a later event the activity was meant to prepare.|Donne un événement ultérieur que l'activité devait préparer.
P21_had_general_purpose|Gives the kind of purpose the activity served.|Donne le type de finalité de l'activité.
P22_transferred_title_to|Gives who became the owner in the acquisition.|Donne qui est devenu propriétaire lors de l'acquisition.
P22i_acquired_title_through|Points from a new owner to the acquisition that made them owner.|Relie un nouveau propriétaire à l'acquisition qui l'a rendu propriétaire.
P23_transferred_title_from|Gives who ceased to be the owner in the acquisition.|Donne qui a cessé d'être propriétaire lors de l'acquisition.
P24_transferred_title_of|Gives the thing whose ownership changed in the acquisition.|Donne la chose dont la propriété a changé lors de l'acquisition.
P24i_changed_ownership_through|Points from a thing to an acquisition that changed its owner.|Relie une chose à une acquisition qui a changé son propriétaire.
P25_moved|Gives the object that was moved.|Donne l'objet déplacé.
P26_moved_to|Gives the destination of the move.|Donne la destination du déplacement.
P27_moved_from|Gives the starting place of the move.|Donne le lieu de départ du déplacement.
P28_custody_surrendered_by|Gives who gave up keeping the thing.|Donne qui a cessé de détenir la chose.
P29_custody_received_by|Gives who started keeping the thing.|Donne qui a commencé à détenir la chose.
P30_transferred_custody_of|Gives the thing whose keeper changed.|Donne la chose dont le détenteur a changé.
P31_has_modified|Gives the thing that the modification changed.|Donne la chose transformée par la modification.
P32_used_general_technique|Gives the kind of technique used, such as etching.|Donne le type de technique employée, comme l'eau-forte.
P33_used_specific_technique|Gives a particular documented method followed in the activity.|Donne une méthode précise et documentée suivie lors de l'activité.
P39_measured|Gives the thing that was measured.|Donne la chose mesurée.
P40_observed_dimension|Gives the dimension found by the measurement.|Donne la dimension obtenue par la mesure.
P41_classified|Gives the thing that was classified.|Donne la chose classée.
P42_assigned|Gives the type given by the classification.|Donne le type attribué par la classification.
P43_has_dimension|Gives a measurable quantity of the thing, such as its height.|Donne une grandeur mesurable de la chose, comme sa hauteur.
P43i_is_dimension_of|Points from a dimension to the thing it measures.|Relie une dimension à la chose qu'elle mesure.
P44_has_condition|Gives the physical state of the thing.|Donne l'état physique de la chose.
P45_consists_of|Gives a material the thing is made of.|Donne une matière dont la chose est faite.
P45i_is_incorporated_in|Points from a material to the things made of it.|Relie une matière aux choses qui en sont faites.
P46_is_composed_of|Gives a physical part of the thing.|Donne une partie matérielle de la chose.
P46i_forms_part_of|Points from a physical part to the whole it belongs to.|Relie une partie matérielle au tout auquel elle appartient.
P48_has_preferred_identifier|Gives the identifier to use first for the thing.|Donne l'identifiant à privilégier pour la chose.
P49_has_former_or_current_keeper|Gives someone who keeps or once kept the thing.|Donne qui détient ou a détenu la chose.
P50_has_current_keeper|Gives who keeps the thing now, such as the museum holding it.|Donne qui détient la chose aujourd'hui, comme le musée qui la conserve.
P50i_is_current_keeper_of|Points from a keeper to the things it keeps now.|Relie un détenteur aux choses qu'il détient aujourd'hui.
P51_has_former_or_current_owner|Gives someone who owns or once owned the thing.|Donne qui possède ou a possédé la chose.
P52_has_current_owner|Gives who owns the thing now.|Donne qui possède la chose aujourd'hui.
P52i_is_current_owner_of|Points from an owner to the things it owns now.|Relie un propriétaire aux choses qu'il possède aujourd'hui.
P53_has_former_or_current_location|Gives a place where the object is or has been.|Donne un lieu où l'objet se trouve ou s'est trouvé.
P55_has_current_location|Gives where the object is now.|Donne où se trouve l'objet aujourd'hui.
P56_bears_feature|Gives a feature found on the thing, such as a mark.|Donne un élément présent sur la chose, comme une marque.
P62_depicts|Gives what the image or object shows.|Donne ce que montre l'image ou l'objet.
P65_shows_visual_item|Gives an image the object shows.|Donne une image que montre l'objet.
P67_refers_to|Gives something the content mentions.|Donne une chose que le contenu mentionne.
P67i_is_referred_to_by|Points from a thing to content that mentions it.|Relie une chose à un contenu qui la mentionne.
P72_has_language|Gives the language of the text.|Donne la langue du texte.
P73_has_translation|Gives a translation of the text.|Donne une traduction du texte.
P74_has_current_or_former_residence|Gives a place where the person or group lives or lived.|Donne un lieu où la personne ou le groupe réside ou a résidé.
P82_at_some_time_within|Gives the outer bounds of a time-span as text or a date.|Donne les bornes extérieures d'un intervalle de temps.
P81a_end_of_the_begin|The latest date at which the time-span may have begun.|La date la plus tardive à laquelle l'intervalle a pu commencer.
P81b_begin_of_the_end|The earliest date at which the time-span may have ended.|La date la plus précoce à laquelle l'intervalle a pu finir.
P82a_begin_of_the_begin|The earliest date at which the time-span may have begun.|La date la plus précoce à laquelle l'intervalle a pu commencer.
P82b_end_of_the_end|The latest date at which the time-span may have ended.|La date la plus tardive à laquelle l'intervalle a pu finir.
P86_falls_within|Places a time-span inside a larger one.|Situe un intervalle de temps à l'intérieur d'un plus grand.
P89_falls_within|Places a place inside a larger one, such as a city in a region.|Situe un lieu à l'intérieur d'un plus grand, comme une ville dans une région.
P89i_contains|Points from a place to a smaller place inside it.|Relie un lieu à un lieu plus petit qu'il contient.
P90_has_value|The number of a dimension.|La valeur numérique d'une dimension.
P90a_has_lower_value_limit|The smallest possible number of an uncertain dimension.|La plus petite valeur possible d'une dimension incertaine.
P90b_has_upper_value_limit|The largest possible number of an uncertain dimension.|La plus grande valeur possible d'une dimension incertaine.
P91_has_unit|Gives the unit in which the dimension is expressed.|Donne l'unité dans laquelle s'exprime la dimension.
P92_brought_into_existence|Gives what the event made begin to exist.|Donne ce dont l'événement a fait commencer l'existence.
P93_took_out_of_existence|Gives what the event made cease to exist.|Donne ce dont l'événement a mis fin à l'existence.
P94_has_created|Gives the work, text or image the creation made.|Donne l'œuvre, le texte ou l'image que la création a produit.
P94i_was_created_by|Points from a work, text or image to the event that created it.|Relie une œuvre, un texte ou une image à l'événement qui l'a créé.
P95_has_formed|Gives the group the formation founded.|Donne le groupe fondé par la formation.
P95i_was_formed_by|Points from a group to the event that founded it.|Relie un groupe à l'événement qui l'a fondé.
P96_by_mother|Gives the mother in a birth.|Donne la mère lors d'une naissance.
P97_from_father|Gives the father in a birth.|Donne le père lors d'une naissance.
P98_brought_into_life|Gives the person born in this birth.|Donne la personne née lors de cette naissance.
P98i_was_born|Points from a person to their birth.|Relie une personne à sa naissance.
P99_dissolved|Gives the group that ended.|Donne le groupe qui a pris fin.
P100_was_death_of|Gives the person who died.|Donne la personne décédée.
P100i_died_in|Points from a person to their death.|Relie une personne à sa mort.
P101_had_as_general_use|Gives what the thing is generally used for.|Donne l'usage général de la chose.
P102_has_title|Gives a title of the thing.|Donne un titre de la chose.
P102i_is_title_of|Points from a title to the thing it names.|Relie un titre à la chose qu'il nomme.
P103_was_intended_for|Gives the use the thing was made for.|Donne l'usage pour lequel la chose a été faite.
P104_is_subject_to|Gives a right that applies to the thing.|Donne un droit qui s'applique à la chose.
P105_right_held_by|Gives who holds rights on the thing.|Donne qui détient des droits sur la chose.
P106_is_composed_of|Gives a part of a text, image or other content.|Donne une partie d'un texte, d'une image ou d'un autre contenu.
P107_has_current_or_former_member|Gives a member, present or past, of the group.|Donne un membre, actuel ou passé, du groupe.
P107i_is_current_or_former_member_of|Points from a person or group to a group they belong or belonged to.|Relie une personne ou un groupe à un groupe dont il est ou fut membre.
P108_has_produced|Gives the object the production made.|Donne l'objet fabriqué par la production.
P108i_was_produced_by|Points from an object to the production event that made it.|Relie un objet à l'événement de production qui l'a fabriqué.
P109_has_current_or_former_curator|Gives who manages or managed the collection.|Donne qui gère ou a géré la collection.
P123_resulted_in|Gives a thing that came out of the transformation.|Donne une chose issue de la transformation.
P125_used_object_of_type|Gives the kind of object used in the activity, such as a violin.|Donne le type d'objet utilisé dans l'activité, comme un violon.
P126_employed|Gives a material used in the activity.|Donne une matière employée lors de l'activité.
P127_has_broader_term|Places a vocabulary term under a more general one.|Place un terme de vocabulaire sous un terme plus général.
P127i_has_narrower_term|Gives a more specific term under this one.|Donne un terme plus spécifique placé sous celui-ci.
P128_carries|Gives content, such as a text or image, that the object bears.|Donne un contenu, comme un texte ou une image, que porte l'objet.
P128i_is_carried_by|Points from content to an object that bears it.|Relie un contenu à un objet qui le porte.
P129_is_about|Gives the subject the content is about.|Donne le sujet dont traite le contenu.
P129i_is_subject_of|Points from a subject to content about it.|Relie un sujet à un contenu qui en traite.
P130_shows_features_of|Says the thing resembles another, such as a copy and its model.|Indique que la chose en reproduit une autre, comme une copie et son modèle.
P137_exemplifies|Says the thing is a typical example of a type.|Indique que la chose est un exemple typique d'un type.
P138_represents|Gives what the image or object represents.|Donne ce que représente l'image ou l'objet.
P138i_has_representation|Points from a thing to an image that represents it.|Relie une chose à une image qui la représente.
P140_assigned_attribute_to|Gives the thing something was stated about.|Donne la chose à propos de laquelle on a affirmé quelque chose.
P141_assigned|Gives what was stated, such as the attributed artist.|Donne ce qui a été affirmé, comme l'artiste attribué.
P148_has_component|Gives a component of a text or other content.|Donne un composant d'un texte ou d'un autre contenu.
P151_was_formed_from|Gives a group the new group was formed from.|Donne un groupe à partir duquel le nouveau groupe a été formé.
P160_has_temporal_projection|Gives the time-span of a period or event.|Donne l'intervalle de temps d'une période ou d'un événement.
P165_incorporates|Gives content embedded in this content, such as a quoted text.|Donne un contenu intégré à celui-ci, comme une citation.
P168_place_is_defined_by|Gives the coordinates or geometry that locate the place.|Donne les coordonnées ou la géométrie qui situent le lieu.
P177_assigned_property_of_type|Gives the kind of relation that was stated.|Donne le type de relation qui a été affirmée.
P179_had_sales_price|Gives the price paid in the sale.|Donne le prix payé lors de la vente.
P180_has_currency|Gives the currency of an amount.|Donne la devise d'une somme.
P186_produced_thing_of_product_type|Gives the model of which the production made copies.|Donne le modèle dont la production a fait des exemplaires.
P189_approximates|Says a place description approximates another place.|Indique qu'une description de lieu approche un autre lieu.
P190_has_symbolic_content|The exact text or code of a name, title or inscription.|Le texte ou code exact d'un nom, d'un titre ou d'une inscription.
P191_had_duration|Gives how long the time-span lasted.|Donne la durée de l'intervalle de temps.
P196_defines|Gives the spacetime volume a thing occupies.|Donne le volume spatio-temporel qu'occupe une chose.
"""

# French labels for the few CRM terms whose official file has none.
CRM_FR_OURS = {
    "P90a_has_lower_value_limit": "a pour valeur limite inférieure",
    "P90b_has_upper_value_limit": "a pour valeur limite supérieure",
}

# The PC14 "property class" pattern (P14.1 in the role of) is defined in the CRM's separate
# PC file, which ../shared does not hold: labels below are ours.
CRM_PC = """
PC14_carried_out_by|carried out by (with a role)|a été effectué par (avec un rôle)|Class|A P14 link made into a node so it can carry the role of the actor.|Un lien P14 transformé en nœud pour porter le rôle de l'acteur.
P01_has_domain|has domain|a pour domaine|Property|Points from a property node to the thing on its left-hand side.|Relie un nœud de propriété à la chose de gauche de la relation.
P02_has_range|has range|a pour co-domaine|Property|Points from a property node to the thing on its right-hand side.|Relie un nœud de propriété à la chose de droite de la relation.
P14.1_in_the_role_of|in the role of|dans le rôle de|Property|Gives the role an actor played in the activity, such as conductor or soloist.|Donne le rôle tenu par l'acteur dans l'activité, comme chef ou soliste.
"""

LRMOO = """
F1_Work|An abstract creation, such as a play or a novel, apart from any version of it.|Œuvre|Une création abstraite, comme une pièce ou un roman, indépendamment de ses versions.
F2_Expression|A particular realisation of a work in words, notes or images.|Expression|Une réalisation précise d'une œuvre en mots, notes ou images.
F3_Manifestation|An edition: all copies sharing the same content and form.|Manifestation|Une édition : l'ensemble des exemplaires de même contenu et de même forme.
F5_Item|A single copy of an edition, such as the volume on a library shelf.|Item|Un exemplaire d'une édition, comme le volume sur un rayon de bibliothèque.
F11_Corporate_Body|An organisation that acts under a name, such as a publisher.|Collectivité|Une organisation qui agit sous un nom, comme un éditeur.
F27_Work_Creation|The conceiving of a work.|Création d'œuvre|La conception d'une œuvre.
F28_Expression_Creation|The making of an expression of a work, such as writing a text.|Création d'expression|La réalisation d'une expression d'une œuvre, comme l'écriture d'un texte.
F30_Manifestation_Creation|The making of an edition, such as publishing a book.|Création de manifestation|La réalisation d'une édition, comme la publication d'un livre.
F31_Performance|A live presentation of a work, such as a concert or a play.|Représentation|Une présentation en public d'une œuvre, comme un concert ou une pièce.
F32_Item_Production_Event|The making of copies of an edition.|Production d'exemplaires|La fabrication des exemplaires d'une édition.
R3_is_realised_in|Gives an expression that realises the work.|est réalisée dans|Donne une expression qui réalise l'œuvre.
R3i_realises|Points from an expression to the work it realises.|réalise|Relie une expression à l'œuvre qu'elle réalise.
R4_embodies|Gives the expression that the edition carries.|matérialise|Donne l'expression que porte l'édition.
R4i_is_embodied_in|Points from an expression to an edition carrying it.|est matérialisée dans|Relie une expression à une édition qui la porte.
R7_exemplifies|Gives the edition of which the item is a copy.|est un exemplaire de|Donne l'édition dont l'item est un exemplaire.
R7i_is_exemplified_by|Points from an edition to one of its copies.|a pour exemplaire|Relie une édition à l'un de ses exemplaires.
R10_is_member_of|Places a work inside a larger work it belongs to.|fait partie de|Place une œuvre dans une œuvre plus large à laquelle elle appartient.
R10i_has_member|Gives a work that belongs to this larger work.|a pour membre|Donne une œuvre qui appartient à cette œuvre plus large.
R16_created|Gives the work that the work creation conceived.|a créé|Donne l'œuvre conçue par la création d'œuvre.
R17_created|Gives the expression made by the expression creation.|a créé|Donne l'expression produite par la création d'expression.
R19_created_a_realisation_of|Gives the work realised by the expression creation.|a créé une réalisation de|Donne l'œuvre réalisée par la création d'expression.
R24_created|Gives the edition made by the manifestation creation.|a créé|Donne l'édition produite par la création de manifestation.
R28_produced|Gives the item made by the production event.|a produit|Donne l'exemplaire fabriqué par l'événement de production.
R54_has_language|Gives the language of the expression.|a pour langue|Donne la langue de l'expression.
R67_has_part|Gives a part of the work.|a pour partie|Donne une partie de l'œuvre.
R71_has_part|Gives a part of the expression.|a pour partie|Donne une partie de l'expression.
R80_performed|Gives the work or expression that the performance presented.|a interprété|Donne l'œuvre ou l'expression présentée lors de la représentation.
R80i_is_performed_in|Points from a work or expression to a performance of it.|est interprétée dans|Relie une œuvre ou une expression à l'une de ses représentations.
"""


def official(path):
    """Local name → (kind, {lang: label}) for every class and property of an RDF/XML file."""
    terms = {}
    for el in ET.parse(path).getroot():
        about = el.get(RDF + "about")
        kind = el.tag.rsplit("}", 1)[1]
        if not about or kind not in ("Class", "Property"):
            continue
        labels = {l.get(LANG): " ".join(l.text.split()) for l in el.findall(RDFS + "label")}
        terms[about.rsplit("/", 1)[-1]] = (kind, labels)
    return terms


def lit(text, lang):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"@' + lang


def term(prefix, local, kind, en, fr, def_en, def_fr, note=None):
    kind = "rdfs:Class" if kind == "Class" else "rdf:Property"
    out = f"{prefix}:{local} a {kind} ;\n    rdfs:label {lit(en, 'en')}, {lit(fr, 'fr')} ;\n"
    if note:
        out += f"    rdfs:comment {lit(note, 'en')} ;\n"
    return out + f"    skos:definition {lit(def_en, 'en')}, {lit(def_fr, 'fr')} .\n"


HEADER = """# {title}
# GENERATED by ontologies/build.py from {source}; edit the script, not this file.
# rdfs:label: {labels}
# skos:definition: written by the vitrine project (not the official scope notes), CC0.
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix {prefix}: <{ns}> .

"""


def rows(text):
    return [line.split("|") for line in text.strip().splitlines()]


def main():
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parent.parent / "shared" / "ontologies"
    crm = official(shared / "cidoc_crm_v7.1.3.rdf")
    out, ours = [], []
    for local, def_en, def_fr in rows(CRM):
        if local not in crm:
            sys.exit(f"{local} is not in cidoc_crm_v7.1.3.rdf")
        kind, labels = crm[local]
        fr = labels.get("fr")
        if fr is None:
            if local not in CRM_FR_OURS:
                sys.exit(f"{local} has no official French label: add one to CRM_FR_OURS")
            fr = CRM_FR_OURS[local]
            ours.append(local)
        out.append(term("crm", local, kind, labels["en"], fr, def_en, def_fr))
    for local, en, fr, kind, def_en, def_fr in rows(CRM_PC):
        out.append(term("crm", local, kind, en, fr, def_en, def_fr,
                        "PC14 property-class pattern; label written by vitrine"))
    missing = ", ".join(ours) or "none"
    (HERE / "crm.ttl").write_text(HEADER.format(
        title="CIDOC-CRM 7.1.3 terms used by vitrine's profiles (Linked Art patterns)",
        source="cidoc_crm_v7.1.3.rdf (FORTH / CIDOC CRM SIG, CC BY 4.0)",
        labels=f"official English and French labels; French ours for {missing} (none official); "
               "PC14, P01, P02, P14.1 labels ours (not in that file)",
        prefix="crm", ns="http://www.cidoc-crm.org/cidoc-crm/") + "\n".join(out), encoding="utf-8")

    lrm = official(shared / "LRMoo_v1.1.1.rdf")
    out = []
    for local, def_en, fr, def_fr in rows(LRMOO):
        if local not in lrm:
            sys.exit(f"{local} is not in LRMoo_v1.1.1.rdf")
        kind, labels = lrm[local]
        out.append(term("lrmoo", local, kind, labels["en"], fr, def_en, def_fr))
    (HERE / "lrmoo.ttl").write_text(HEADER.format(
        title="LRMoo 1.1.1 terms a library or performing-arts profile may use",
        source="LRMoo_v1.1.1.rdf (IFLA / CIDOC CRM SIG)",
        labels="official English labels; French labels ours (the file has none)",
        prefix="lrmoo", ns="http://iflastandards.info/ns/lrm/lrmoo/") + "\n".join(out), encoding="utf-8")


if __name__ == "__main__":
    main()
